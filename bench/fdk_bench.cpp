// fdk_bench: measures a hot function the way the Fn agent uses it, next to a reference server.
//
// For each target (our hello function, and the hand-written epoll reference) it measures:
//   - latency of one call on one keep-alive connection (p50, p99), in alternating blocks so
//     that both targets see the same machine noise,
//   - throughput with 1 and with 10 concurrent connections (bounded time per phase),
//   - server CPU time per call: utime+stime of the function process (/proc/<pid>/stat),
//   - cold start: spawn -> lsnr.sock ready -> first response (median of several starts),
//   - resident memory right after start and after all the load (VmRSS, VmHWM),
//   - user-space instructions per call, counted by valgrind's callgrind (with --valgrind):
//     the difference between a run of N calls and one of 2N, so start-up and exit cancel out.
// It prints our figures, the reference's, the ratios and the issue's targets. It is a
// benchmark, not a test: it exits 0 whatever the figures are, and non-zero only when it
// could not measure (a target failed to start or answer).
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent_connection.hpp"
#include "function_process.hpp"
#include "testing/agent_request.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using fdk::invoker::AgentConnection;
using fdk::invoker::FunctionProcess;
using fdk::invoker::InvokeError;
using fdk::invoker::LaunchOptions;

constexpr auto kCallWait = std::chrono::milliseconds(5000);   // per call; a hang is an error
constexpr auto kStopWait = std::chrono::milliseconds(3000);   // SIGTERM -> exit
constexpr auto kStartWait = std::chrono::milliseconds(5000);  // spawn -> lsnr.sock
constexpr auto kValgrindWait = std::chrono::milliseconds(30000);  // start or exit under callgrind

struct Settings {
  std::string ours;
  std::string reference;
  int warmup_calls = 2000;
  int latency_calls = 20000;  // per target, split into blocks
  int latency_blocks = 10;
  double seconds = 2.0;  // per throughput phase and target
  int starts = 20;
  std::string drive_socket;  // --drive: only send calls to an already running function
  std::string placement = "split";
  int nice = 0;  // --nice N: run the benchmark and the functions at this niceness
  std::string valgrind;          // --valgrind PATH: count instructions per call with callgrind
  std::string fixed_answer;      // --fixed-answer PATH: with --valgrind, also count this function's
  int instruction_calls = 1000;  // N of the N and 2N callgrind runs
  std::string smaps_dir;  // --smaps DIR: keep /proc/<pid>/smaps where RSS is read (bench/smaps_summary.py)
};

// ---------------------------------------------------------------------------------------
// CPU placement. On a small VM the figures depend heavily on whether the function runs on
// the client's CPU (wake-ups are plain context switches) or on another one (every wake-up
// is an inter-processor interrupt, several times dearer here). "split" pins the client
// (the agent) to one CPU and the functions to the others, like separate containers; "same"
// puts everything on one CPU; "free" leaves it to the scheduler (bimodal, noisy).

struct Placement {
  bool pinned = false;
  cpu_set_t client{};
  cpu_set_t function{};
  std::string description = "free (scheduler decides)";
};

Placement placement;

void choose_placement(const std::string& mode) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (mode == "free" || ::sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.empty()) return;
  CPU_ZERO(&placement.client);
  CPU_ZERO(&placement.function);
  CPU_SET(cpus[0], &placement.client);
  if (mode == "split" && cpus.size() > 1) {
    for (std::size_t i = 1; i < cpus.size(); ++i) CPU_SET(cpus[i], &placement.function);
    placement.description = "split: client on CPU " + std::to_string(cpus[0]) + ", functions on CPU " +
                            std::to_string(cpus[1]) + (cpus.size() > 2 ? "+" : "");
  } else {
    CPU_SET(cpus[0], &placement.function);
    placement.description = "same: client and functions on CPU " + std::to_string(cpus[0]);
  }
  placement.pinned = true;
  ::sched_setaffinity(0, sizeof placement.client, &placement.client);
}

// Where progress and errors go (the terminal's stderr, even after redirect_function_stderr).
int progress_fd = 2;

void progress_line(const std::string& text) {
  std::string line = text + "\n";
  ssize_t ignored = ::write(progress_fd, line.data(), line.size());
  (void)ignored;
}

// ---------------------------------------------------------------------------------------
// /proc readings

double clock_ticks_per_second() {
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return ticks;
}

// utime+stime of the whole process (all threads, live and exited), in seconds.
double process_cpu_seconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos) throw InvokeError("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(text.substr(close_paren + 2));
  // Fields after the command: state(3) ppid pgrp session tty tpgid flags minflt cminflt
  // majflt cmajflt utime(14) stime(15).
  std::string skip;
  for (int i = 3; i <= 13; ++i) fields >> skip;
  unsigned long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return static_cast<double>(utime + stime) / clock_ticks_per_second();
}

// CPU time of all live threads in nanoseconds (/proc/<pid>/task/*/schedstat, first field):
// precise where /proc/<pid>/stat counts in clock ticks. Threads that exited are not counted.
double live_threads_cpu_ms(pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  double total_ns = 0;
  DIR* listing = ::opendir(dir.c_str());
  if (!listing) return NAN;
  while (dirent* entry = ::readdir(listing)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream file(dir + "/" + entry->d_name + "/schedstat");
    double ns = 0;
    if (file >> ns) total_ns += ns;
  }
  ::closedir(listing);
  return total_ns / 1e6;
}

// ---------------------------------------------------------------------------------------
// Statistics

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  // Nearest rank.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

double median(std::vector<double> values) { return percentile(std::move(values), 50.0); }

// ---------------------------------------------------------------------------------------
// One target: a running function process plus the figures gathered for it.

struct Figures {
  std::vector<double> latency_us;
  double latency_cpu_s = 0;
  double client_cpu_s = 0;  // the benchmark's own CPU for the latency calls
  int latency_calls = 0;
  double tput_calls[2] = {0, 0};  // 1 and 10 connections
  double tput_seconds[2] = {0, 0};
  double tput_cpu_s[2] = {0, 0};
  std::vector<double> ready_ms;
  std::vector<double> first_response_ms;
  long rss_idle_kib = -1;
  long rss_loaded_kib = -1;
  long hwm_loaded_kib = -1;
  long threads_loaded = -1;
  std::vector<double> startup_cpu_ms;  // function's own CPU from exec to its first answer
  double instructions_per_call = NAN;  // user space, callgrind; NAN without --valgrind
  double fixed_answer_instructions = NAN;  // the same for --fixed-answer (ours only)
};

struct Target {
  std::string name;
  std::string binary;
  std::optional<FunctionProcess> process;
  Figures figures;
};

// Function processes alive right now, so the watchdog can kill them before giving up.
constexpr int kMaxLive = 8;
volatile sig_atomic_t live_pids[kMaxLive] = {};

void remember(pid_t pid, bool alive) {
  for (auto& slot : live_pids) {
    if (alive ? slot == 0 : slot == pid) {
      slot = alive ? pid : 0;
      return;
    }
  }
}

extern "C" void on_watchdog(int) {
  static const char message[] = "fdk_bench: gave up after the time limit; killing the functions.\n";
  ssize_t ignored = ::write(progress_fd, message, sizeof message - 1);
  (void)ignored;
  for (auto& slot : live_pids) {
    if (slot > 0) ::kill(static_cast<pid_t>(slot), SIGKILL);
  }
  ::_exit(3);
}

void stop(FunctionProcess& process) {
  pid_t pid = process.pid();
  process.stop(SIGTERM, kStopWait);
  remember(pid, false);
}

LaunchOptions launch_options(const std::string& binary) {
  LaunchOptions options;
  options.argv = {binary};
  options.start_timeout = kStartWait;
  return options;
}

// Children inherit the spawning thread's affinity: take the functions' CPUs for the spawn,
// then return to the client's.
FunctionProcess launch(const LaunchOptions& options) {
  if (placement.pinned) ::sched_setaffinity(0, sizeof placement.function, &placement.function);
  struct Restore {
    ~Restore() {
      if (placement.pinned) ::sched_setaffinity(0, sizeof placement.client, &placement.client);
    }
  } restore;
  auto process = FunctionProcess::launch(options);
  remember(process.pid(), true);
  return process;
}

FunctionProcess launch(const std::string& binary) { return launch(launch_options(binary)); }

// What the agent sends for a hello call: chunked JSON body, Fn-Call-Id, Fn-Deadline.
std::string hello_request_bytes() {
  fdk::protocol::AgentCall call;
  call.body = R"({"name":"Bench"})";
  call.content_type = "application/json";
  call.call_id = "01BENCHMARK0000000000000001";
  call.deadline = std::chrono::system_clock::now() + std::chrono::minutes(10);
  return fdk::protocol::encode_agent_request(call);
}

void check_response(const fdk::protocol::RawResponse& response, const std::string& target) {
  if (response.status != 200) {
    throw InvokeError(target + " answered HTTP " + std::to_string(response.status) + " to a hello call");
  }
}

// The instructions callgrind counted in a finished run: its "totals:" (or "summary:") line.
double callgrind_total(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    for (const char* key : {"totals: ", "summary: "}) {
      if (line.rfind(key, 0) == 0) return std::atof(line.c_str() + std::strlen(key));
    }
  }
  throw InvokeError("callgrind wrote no total to " + path);
}

// Runs `binary` under callgrind, sends `calls` hello calls on one connection, stops it and
// returns the instructions counted over its whole life (both threads, user space only).
double instructions_for_calls(const Settings& settings, const std::string& binary, const std::string& request,
                              int calls) {
  const char* base = std::getenv("TMPDIR");
  std::string out = std::string(base && *base ? base : "/tmp") + "/fdk_bench-callgrind." + std::to_string(::getpid());
  LaunchOptions options = launch_options(binary);
  options.argv = {settings.valgrind, "--tool=callgrind", "--callgrind-out-file=" + out, binary};
  options.start_timeout = kValgrindWait;
  auto process = launch(options);
  {
    AgentConnection conn(process.socket_path());
    for (int i = 0; i < calls; ++i) check_response(conn.exchange(request, kValgrindWait), binary);
  }
  pid_t pid = process.pid();
  process.stop(SIGTERM, kValgrindWait);
  remember(pid, false);
  double total = callgrind_total(out);
  ::unlink(out.c_str());
  return total;
}

void count_instructions(Target& target, const Settings& settings, const std::string& request) {
  int n = settings.instruction_calls;
  double once = instructions_for_calls(settings, target.binary, request, n);
  double twice = instructions_for_calls(settings, target.binary, request, 2 * n);
  target.figures.instructions_per_call = (twice - once) / n;
}

double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// `count` sequential calls on `conn`, each timed.
void latency_block(Target& target, AgentConnection& conn, const std::string& request, int count) {
  pid_t pid = target.process->pid();
  double cpu_before = process_cpu_seconds(pid);
  double client_before = thread_cpu_seconds();
  auto& samples = target.figures.latency_us;
  for (int i = 0; i < count; ++i) {
    auto begin = Clock::now();
    auto response = conn.exchange(request, kCallWait);
    auto end = Clock::now();
    check_response(response, target.name);
    samples.push_back(std::chrono::duration<double, std::micro>(end - begin).count());
  }
  target.figures.client_cpu_s += thread_cpu_seconds() - client_before;
  target.figures.latency_cpu_s += process_cpu_seconds(pid) - cpu_before;
  target.figures.latency_calls += count;
}

// `connections` client threads, each on its own keep-alive connection, calling as fast as
// the function answers for `seconds`.
void throughput_phase(Target& target, int slot, int connections, double seconds, const std::string& request) {
  pid_t pid = target.process->pid();
  std::vector<std::unique_ptr<AgentConnection>> conns;
  for (int i = 0; i < connections; ++i) {
    conns.push_back(std::make_unique<AgentConnection>(target.process->socket_path()));
    check_response(conns.back()->exchange(request, kCallWait), target.name);  // connected and served
  }
  std::atomic<bool> stop{false};
  std::atomic<long> calls{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> threads;
  double cpu_before = process_cpu_seconds(pid);
  auto begin = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      long mine = 0;
      try {
        while (!stop.load(std::memory_order_relaxed)) {
          auto response = conns[static_cast<std::size_t>(i)]->exchange(request, kCallWait);
          if (response.status != 200) throw InvokeError("HTTP " + std::to_string(response.status));
          ++mine;
        }
      } catch (const std::exception& error) {
        if (!failed.exchange(true)) failure = error.what();
        stop = true;
      }
      calls += mine;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  auto elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  double cpu = process_cpu_seconds(pid) - cpu_before;
  if (failed) throw InvokeError(target.name + " failed under load: " + failure);
  target.figures.tput_calls[slot] += static_cast<double>(calls.load());
  target.figures.tput_seconds[slot] += elapsed;
  target.figures.tput_cpu_s[slot] += cpu;
}

// spawn -> ready -> first response, then SIGTERM.
void cold_start(Target& target, const std::string& request) {
  auto process = launch(target.binary);
  auto launched = Clock::now();
  {
    AgentConnection conn(process.socket_path());
    check_response(conn.exchange(request, kCallWait), target.name);
  }
  auto answered = Clock::now();
  target.figures.startup_cpu_ms.push_back(live_threads_cpu_ms(process.pid()));
  double ready_ms = std::chrono::duration<double, std::milli>(process.time_to_ready()).count();
  target.figures.ready_ms.push_back(ready_ms);
  target.figures.first_response_ms.push_back(ready_ms +
                                             std::chrono::duration<double, std::milli>(answered - launched).count());
  stop(process);
}

// ---------------------------------------------------------------------------------------
// Report

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

struct Row {
  std::string figure;
  double ours;
  double reference;
  int decimals;
  std::string target;      // "" when the issue sets none
  double limit = NAN;      // for the verdict
  bool limit_is_ratio = false;
};

void print_report(const Target& ours, const Target& reference) {
  double load[3] = {NAN, NAN, NAN};
  ::getloadavg(load, 3);
  std::printf("\nplacement: %s; niceness %d; load average at the end: %.2f (1 min), %ld CPUs online\n",
              placement.description.c_str(), ::getpriority(PRIO_PROCESS, 0), load[0],
              ::sysconf(_SC_NPROCESSORS_ONLN));
  auto build_rows = [](const Figures& f) {
    struct Values {
      double p50, p90, p99, mean, threads, startup_cpu, tput1, tput10, cpu_seq, cpu1, cpu10, client, ready, first, rss_idle, rss_loaded, hwm, instructions,
          fixed_instructions;
    } v{};
    v.instructions = f.instructions_per_call;
    v.fixed_instructions = f.fixed_answer_instructions;
    v.p50 = percentile(f.latency_us, 50);
    v.p90 = percentile(f.latency_us, 90);
    v.p99 = percentile(f.latency_us, 99);
    v.threads = static_cast<double>(f.threads_loaded);
    v.startup_cpu = median(f.startup_cpu_ms);
    double sum = 0;
    for (double x : f.latency_us) sum += x;
    v.mean = f.latency_us.empty() ? NAN : sum / static_cast<double>(f.latency_us.size());
    v.tput1 = f.tput_calls[0] / f.tput_seconds[0];
    v.tput10 = f.tput_calls[1] / f.tput_seconds[1];
    v.cpu_seq = f.latency_cpu_s / f.latency_calls * 1e6;
    v.cpu1 = f.tput_cpu_s[0] / f.tput_calls[0] * 1e6;
    v.cpu10 = f.tput_cpu_s[1] / f.tput_calls[1] * 1e6;
    v.client = f.client_cpu_s / f.latency_calls * 1e6;
    v.ready = median(f.ready_ms);
    v.first = median(f.first_response_ms);
    v.rss_idle = static_cast<double>(f.rss_idle_kib) / 1024.0;
    v.rss_loaded = static_cast<double>(f.rss_loaded_kib) / 1024.0;
    v.hwm = static_cast<double>(f.hwm_loaded_kib) / 1024.0;
    return v;
  };
  auto o = build_rows(ours.figures);
  auto r = build_rows(reference.figures);

  std::vector<Row> rows = {
      {"latency p50, 1 keep-alive conn (us)", o.p50, r.p50, 1, "<= 1.2x ref", 1.2, true},
      {"latency p90, 1 keep-alive conn (us)", o.p90, r.p90, 1, ""},
      {"latency p99, 1 keep-alive conn (us)", o.p99, r.p99, 1, ""},
      {"latency mean (us)", o.mean, r.mean, 1, ""},
      {"throughput, 1 conn (calls/s)", o.tput1, r.tput1, 0, ""},
      {"throughput, 10 conns (calls/s)", o.tput10, r.tput10, 0, ""},
      {"server CPU/call, latency run (us)", o.cpu_seq, r.cpu_seq, 1, "<= 1.5x ref", 1.5, true},
      {"server CPU/call, 1 conn load (us)", o.cpu1, r.cpu1, 1, "<= 1.5x ref", 1.5, true},
      {"server CPU/call, 10 conns load (us)", o.cpu10, r.cpu10, 1, ""},
      {"client CPU/call, latency run (us)", o.client, r.client, 1, ""},
      {"instructions/call, user space (callgrind)", o.instructions, r.instructions, 0, "<= 15000", 15000.0, false},
      {"  the same, fixed-answer handler (no JSON)", o.fixed_instructions, r.instructions, 0, ""},
      {"cold start: spawn -> ready (ms)", o.ready, r.ready, 2, ""},
      {"cold start: spawn -> 1st response (ms)", o.first, r.first, 2, "<= 3 ms", 3.0, false},
      {"cold start: CPU to 1st response (ms)", o.startup_cpu, r.startup_cpu, 2, ""},
      {"RSS idle after start (MiB)", o.rss_idle, r.rss_idle, 2, ""},
      {"RSS after load (MiB)", o.rss_loaded, r.rss_loaded, 2, "<= 4 MiB", 4.0, false},
      {"peak RSS, VmHWM (MiB)", o.hwm, r.hwm, 2, ""},
      {"threads after load", o.threads, r.threads, 0, ""},
  };

  std::printf("%-40s %12s %12s %8s  %-12s %s\n", "figure", "fdk-cpp", "reference", "ratio", "target", "verdict");
  std::printf("%s\n", std::string(98, '-').c_str());
  for (const auto& row : rows) {
    double ratio = row.ours / row.reference;
    std::string verdict;
    if (!row.target.empty()) {
      double compared = row.limit_is_ratio ? ratio : row.ours;
      verdict = std::isnan(compared) ? "n/a" : (compared <= row.limit ? "met" : "MISSED");
    }
    std::printf("%-40s %12s %12s %8s  %-12s %s\n", row.figure.c_str(), fixed(row.ours, row.decimals).c_str(),
                fixed(row.reference, row.decimals).c_str(), (fixed(ratio, 2) + "x").c_str(), row.target.c_str(),
                verdict.c_str());
  }
  std::printf("\nsamples: %d latency calls per target, %d cold starts per target; throughput %.1f s per phase\n",
              ours.figures.latency_calls, static_cast<int>(ours.figures.ready_ms.size()),
              ours.figures.tput_seconds[0]);
  std::printf("CPU per call is utime+stime of the function process (/proc/<pid>/stat, %g ticks/s) over the phase.\n",
              clock_ticks_per_second());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "fdk_bench: %s\n"
               "usage: fdk_bench --ours FUNCTION --reference REFERENCE_SERVER\n"
               "                 [--calls N] [--warmup N] [--seconds S] [--starts N] [--quick]\n"
               "                 [--placement split|same|free]   (default split)\n"
               "                 [--nice N]   (e.g. -10 on a shared machine; needs the privilege)\n"
               "                 [--valgrind PATH [--instruction-calls N] [--fixed-answer FUNCTION]]\n"
               "                     (instructions per call, callgrind; also for a function with a fixed answer)\n"
               "                 [--smaps DIR]   (copies of /proc/<pid>/smaps where RSS is read: idle, loaded)\n"
               "       fdk_bench --drive SOCKET [--calls N]   (calls only, to profile a running function)\n",
               message);
  std::exit(2);
}

Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    auto positive = [&](const std::string& text) {
      double number = std::atof(text.c_str());
      if (!(number > 0)) usage(("expected a positive number after " + arg).c_str());
      return number;
    };
    if (arg == "--ours") {
      settings.ours = value();
    } else if (arg == "--reference") {
      settings.reference = value();
    } else if (arg == "--calls") {
      settings.latency_calls = static_cast<int>(positive(value()));
    } else if (arg == "--warmup") {
      settings.warmup_calls = static_cast<int>(positive(value()));
    } else if (arg == "--seconds") {
      settings.seconds = std::min(positive(value()), 10.0);
    } else if (arg == "--starts") {
      settings.starts = static_cast<int>(positive(value()));
    } else if (arg == "--placement") {
      settings.placement = value();
      if (settings.placement != "split" && settings.placement != "same" && settings.placement != "free") {
        usage("--placement takes split, same or free");
      }
    } else if (arg == "--nice") {
      settings.nice = std::atoi(value().c_str());
    } else if (arg == "--valgrind") {
      settings.valgrind = value();
    } else if (arg == "--fixed-answer") {
      settings.fixed_answer = value();
    } else if (arg == "--instruction-calls") {
      settings.instruction_calls = static_cast<int>(positive(value()));
    } else if (arg == "--smaps") {
      settings.smaps_dir = value();
    } else if (arg == "--drive") {
      settings.drive_socket = value();
    } else if (arg == "--quick") {
      settings.latency_calls = 2000;
      settings.warmup_calls = 200;
      settings.seconds = 0.3;
      settings.starts = 5;
      settings.instruction_calls = 200;
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  if (!settings.drive_socket.empty()) return settings;
  if (settings.ours.empty() || settings.reference.empty()) usage("both --ours and --reference are required");
  settings.latency_blocks = std::max(1, std::min(settings.latency_blocks, settings.latency_calls));
  return settings;
}

// For profiling a running function (perf, strace, callgrind attached to it): send
// settings.latency_calls hello calls on one keep-alive connection and print the median latency.
int drive(const Settings& settings) {
  AgentConnection conn(settings.drive_socket);
  std::string request = hello_request_bytes();
  std::vector<double> samples;
  for (int i = 0; i < settings.latency_calls; ++i) {
    auto begin = Clock::now();
    check_response(conn.exchange(request, kCallWait), settings.drive_socket);
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - begin).count());
  }
  std::printf("%d calls, p50 %.1f us, p99 %.1f us\n", settings.latency_calls, percentile(samples, 50),
              percentile(samples, 99));
  return 0;
}

// The functions inherit our stderr; send it to a log file so their shutdown lines do not
// drown the report, and keep our own messages on the terminal.
std::string redirect_function_stderr() {
  const char* base = std::getenv("TMPDIR");
  std::string path = std::string(base && *base ? base : "/tmp") + "/fdk_bench-functions.log";
  int log = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0) return "";
  int terminal = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (terminal < 0) {
    ::close(log);
    return "";
  }
  ::dup2(log, 2);  // inherited by the functions (dup2 clears CLOEXEC on 2)
  ::close(log);
  progress_fd = terminal;
  return path;
}

// With --smaps: the target's memory map, page counts per mapping, at the moment its RSS is read
// (DIR/<target>-<moment>.smaps). bench/smaps_summary.py says what the resident pages belong to.
void keep_smaps(const Settings& settings, const Target& target, const char* moment) {
  if (settings.smaps_dir.empty()) return;
  std::ifstream source("/proc/" + std::to_string(target.process->pid()) + "/smaps");
  std::string path = settings.smaps_dir + "/" + target.name + "-" + moment + ".smaps";
  std::ofstream copy(path);
  copy << source.rdbuf();
  if (!source || !copy) progress_line("fdk_bench: could not copy the memory map to " + path);
}

int run(const Settings& settings) {
  choose_placement(settings.placement);
  if (settings.nice != 0) {
    // Inherited by every thread and process started from here on.
    if (::setpriority(PRIO_PROCESS, 0, settings.nice) != 0) {
      progress_line("fdk_bench: cannot set niceness " + std::to_string(settings.nice) + ": " + std::strerror(errno) +
                    " (continuing at the current priority)");
    }
  }
  std::string log_path = redirect_function_stderr();
  if (!log_path.empty()) progress_line("functions' stderr goes to " + log_path);
  Target ours{"fdk-cpp", settings.ours, std::nullopt, {}};
  Target reference{"reference", settings.reference, std::nullopt, {}};
  Target* targets[2] = {&ours, &reference};
  std::string request = hello_request_bytes();
  auto started = Clock::now();
  auto progress = [&](const char* what) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%5.1f s] ", std::chrono::duration<double>(Clock::now() - started).count());
    progress_line(stamp + std::string(what));
  };

  // Cold starts first, on a quiet machine (nothing else of ours running), alternating.
  progress("cold starts");
  for (int i = 0; i < settings.starts; ++i) {
    for (Target* target : targets) cold_start(*target, request);
  }

  // Both hot, each on its own keep-alive connection, like the agent.
  progress("starting both targets hot");
  for (Target* target : targets) {
    target->process.emplace(launch(target->binary));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let start-up settle
    target->figures.rss_idle_kib = target->process->status_figure("VmRSS");
    keep_smaps(settings, *target, "idle");
  }
  std::vector<std::unique_ptr<AgentConnection>> conns;
  for (Target* target : targets) {
    conns.push_back(std::make_unique<AgentConnection>(target->process->socket_path()));
  }

  progress("warm-up");
  for (int t = 0; t < 2; ++t) {
    for (int i = 0; i < settings.warmup_calls; ++i) check_response(conns[t]->exchange(request, kCallWait), targets[t]->name);
  }

  progress("latency (alternating blocks on one keep-alive connection each)");
  int per_block = settings.latency_calls / settings.latency_blocks;
  for (int block = 0; block < settings.latency_blocks; ++block) {
    // Alternate who goes first, so neither always follows the other's cache footprint.
    for (int k = 0; k < 2; ++k) {
      int t = (block + k) % 2;
      latency_block(*targets[t], *conns[static_cast<std::size_t>(t)], request, per_block);
    }
  }
  conns.clear();

  // Throughput, each phase split in two halves, alternating targets.
  const int connection_counts[2] = {1, 10};
  for (int slot = 0; slot < 2; ++slot) {
    std::string what = "throughput, " + std::to_string(connection_counts[slot]) + " connection(s)";
    progress(what.c_str());
    for (int half = 0; half < 2; ++half) {
      for (int k = 0; k < 2; ++k) {
        int t = (half + k) % 2;
        throughput_phase(*targets[t], slot, connection_counts[slot], settings.seconds / 2, request);
      }
    }
  }

  for (Target* target : targets) {
    target->figures.rss_loaded_kib = target->process->status_figure("VmRSS");
    target->figures.hwm_loaded_kib = target->process->status_figure("VmHWM");
    target->figures.threads_loaded = target->process->status_figure("Threads");
    keep_smaps(settings, *target, "loaded");
    stop(*target->process);
  }
  if (!settings.valgrind.empty()) {
    progress("instructions per call under callgrind (N and 2N calls per target)");
    for (Target* target : targets) count_instructions(*target, settings, request);
    if (!settings.fixed_answer.empty()) {
      Target fixed{"fixed answer", settings.fixed_answer, std::nullopt, {}};
      count_instructions(fixed, settings, request);
      ours.figures.fixed_answer_instructions = fixed.figures.instructions_per_call;
    }
  }
  progress("done");
  print_report(ours, reference);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_arguments(argc, argv);
  // A safety net: the benchmark must never hang a build (each wait has its own timeout too).
  ::signal(SIGALRM, on_watchdog);
  // Each callgrind count (N and 2N calls under valgrind) adds up to about 30 s on a loaded machine.
  unsigned counted_targets = settings.valgrind.empty() ? 0 : (settings.fixed_answer.empty() ? 2 : 3);
  ::alarm(150 + 30 * counted_targets);
  try {
    return settings.drive_socket.empty() ? run(settings) : drive(settings);
  } catch (const std::exception& error) {
    progress_line(std::string("fdk_bench: ") + error.what());
    if (settings.drive_socket.empty()) progress_line("(the functions' stderr is in $TMPDIR/fdk_bench-functions.log)");
    return 1;
  }
}
