#include "runtime/server.hpp"

#include <uv.h>

#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <unordered_set>

#include "core/call_core.hpp"
#include "protocol/call_flow.hpp"
#include "runtime/completion_queue.hpp"
#include "runtime/handler_pool.hpp"
#include "runtime/log.hpp"

namespace fdk::runtime {

namespace {

constexpr int kListenBacklog = 128;
constexpr std::size_t kReadBufferBytes = 64 * 1024;

// Lending (Connection::lend) only while the function has at most this many connections. Each
// lent connection holds a thread while it waits for its next request, and under a crowd of busy
// connections (an HTTP host's) lending some would serve them before the rest: with 64 wrk
// connections the p99 latency went from 1.9 ms to 6.1 ms. Past the bound, lent connections are
// called back to the loop, which serves all of them in turn.
constexpr std::size_t kMaxLentConnections = 16;
// A lent connection without a request for this long goes back to the loop, and its thread to the pool.
constexpr int kLentIdleSeconds = 5;
// What a lending thread reads at once, on its stack; a larger request takes more reads. 16 KiB
// cost about 0.05 MiB more RSS after a 10-connection load than 4 KiB.
constexpr std::size_t kLentReadBytes = 4 * 1024;

std::string uv_problem(const char* what, int code) { return std::string(what) + ": " + uv_strerror(code); }

// For libuv calls whose failure leaves the server able to go on: says what failed, once, on
// stderr. Returns true when `code` is success.
bool succeeded(int code, const char* what) {
  if (code == 0) return true;
  write_stderr_line(uv_problem((std::string("fdk-cpp: ") + what).c_str(), code));
  return false;
}

// A listening or connected stream: a Unix socket for Fn, TCP for HTTP hosts. Both handle types
// start with the uv_stream_t fields, so the rest of the server sees only the stream.
union StreamHandle {
  uv_pipe_t pipe;
  uv_tcp_t tcp;
};

uv_stream_t* as_stream(StreamHandle& handle) { return reinterpret_cast<uv_stream_t*>(&handle); }
uv_handle_t* as_handle(StreamHandle& handle) { return reinterpret_cast<uv_handle_t*>(&handle); }

}  // namespace

// A connection's descriptor as handler threads see it. The loop marks it closed (under the
// lock) before libuv closes the descriptor, so a handler thread never writes to a number
// the kernel may already have given to another connection.
struct SocketGuard {
  std::mutex mutex;
  int fd = -1;
  bool open = true;
};

namespace {

// What is left of an answer after its first `written` bytes: part of the head and the body,
// or part of the body alone. Pointers into the answer itself: nothing is copied.
struct UnsentParts {
  std::string_view parts[2];
  int count = 0;
};

UnsentParts unsent_parts(const EncodedAnswer& answer, std::size_t written) {
  UnsentParts left;
  std::string_view head = answer.head;
  std::string_view body = answer.body();
  if (written < head.size()) {
    left.parts[left.count++] = head.substr(written);
    written = 0;
  } else {
    written -= head.size();
  }
  if (written < body.size()) left.parts[left.count++] = body.substr(written);
  return left;
}

// Writes what the socket takes without blocking, head and body together, and advances
// `written`. Returns false when the socket is broken.
bool write_without_blocking(int fd, const EncodedAnswer& answer, std::size_t& written) {
  for (;;) {
    UnsentParts left = unsent_parts(answer, written);
    if (left.count == 0) return true;
    iovec slices[2];
    for (int i = 0; i < left.count; ++i) {
      slices[i].iov_base = const_cast<char*>(left.parts[i].data());  // sendmsg only reads it
      slices[i].iov_len = left.parts[i].size();
    }
    msghdr message{};
    message.msg_iov = slices;
    message.msg_iovlen = static_cast<std::size_t>(left.count);
    ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
}

// A handler thread's send of its answer: what the socket takes without blocking goes out now;
// what is left, or that the socket is broken, goes into `report` for the loop.
void send_what_the_socket_takes(int fd, EncodedAnswer&& answer, Completion& report) {
  report.written = 0;
  report.write_failed = !write_without_blocking(fd, answer, report.written);
  if (!report.write_failed && report.written < answer.size()) report.unsent = std::move(answer);
}

// Puts a connection's descriptor in the mode of whoever drives it. A lending thread's reads block
// in the kernel (one system call per request, no poll before it) and give up after the idle
// limit; libuv's are non-blocking without a limit. Returns false when the socket refuses.
bool set_lent_mode(int fd, bool lent) {
  int non_blocking = lent ? 0 : 1;
  timeval idle_limit{lent ? kLentIdleSeconds : 0, 0};
  return ioctl(fd, FIONBIO, &non_blocking) == 0 &&
         setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle_limit, sizeof idle_limit) == 0;
}

// Blocks `signals` on the calling thread while it lives; on the way out, discards those still
// pending and restores the previous mask.
//   - SIGPIPE, on the loop thread (and so on the handler threads it starts) while the server
//     runs: libuv's writes cannot pass MSG_NOSIGNAL, and the process-wide SIG_IGN can be undone
//     by handler code (signal(SIGPIPE, SIG_DFL)); a blocked signal cannot kill the thread that
//     raised it, whatever the disposition.
//   - SIGINT and SIGTERM, while stop_loop() swaps libuv's handlers for SIG_IGN (see there).
class SignalsBlocked {
 public:
  SignalsBlocked(std::initializer_list<int> signals) {
    sigemptyset(&blocked_);
    for (int signal_number : signals) sigaddset(&blocked_, signal_number);
    pthread_sigmask(SIG_BLOCK, &blocked_, &previous_);
  }
  ~SignalsBlocked() {
    timespec no_wait{};
    while (sigtimedwait(&blocked_, nullptr, &no_wait) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t blocked_{};
  sigset_t previous_{};
};

}  // namespace

// Whether an accepted call may start now (Server::Impl::start_check).
enum class CallStart {
  go,
  too_late,             ///< its deadline has passed: answered 504 without running
  stuck_bound_reached,  ///< too many handlers are stuck: answered 502, then the function exits
};

// One call, shared by the loop and the handler's thread. Whoever sets `answered` first owns
// the reply: the handler's thread writes its response straight to the socket (no trip back
// through the loop on the latency path); the loop writes the 504 when the deadline wins.
struct CallTicket final : HandlerPool::Job {
  /// Set by the loop only.
  Connection* connection = nullptr;
  std::shared_ptr<SocketGuard> socket;
  /// Handlers still running after their call was answered without them (shared with the server).
  std::shared_ptr<std::atomic<std::size_t>> stuck;
  std::shared_ptr<CompletionQueue> completions;
  std::shared_ptr<const CallProtocol> call_protocol;
  const Handler* handler = nullptr;
  bool keep_alive = true;
  /// The caller gets the head only (HEAD on an HTTP host).
  bool head_only = false;
  std::atomic<bool> answered{false};
  /// The loop waits for this call's report (CompletionQueue::want_report); guarded by the
  /// completion queue's mutex.
  bool report_wanted = false;
  protocol::PreparedCall call;

  /// Back to the flags of a new ticket, for a connection's next call: accept refills `call`
  /// and start_call sets the rest.
  void reset_for_next_call() noexcept {
    connection = nullptr;
    keep_alive = true;
    head_only = false;
    answered.store(false, std::memory_order_relaxed);
    report_wanted = false;
  }

  void run(std::shared_ptr<HandlerPool::Job>& self) noexcept override;
  /// Runs the handler on this thread and returns its result, checked against the deadline.
  core::CallResult execute() noexcept;
  /// The answer to send for `result`; logs its line, if any.
  EncodedAnswer encode_answer(core::CallResult result) const;
};


struct Server::Impl {
  Handler handler;
  ServerSettings settings;
  std::shared_ptr<const CallProtocol> protocol;
  uv_loop_t loop{};
  StreamHandle listener{};
  bool listener_initialised = false;
  uv_timer_t grace_timer{};
  bool grace_timer_initialised = false;
  uv_signal_t sigterm{};
  uv_signal_t sigint{};
  uv_async_t completed{};
  bool completed_initialised = false;
  int signal_watchers_initialised = 0;  // sigterm first, then sigint
  std::shared_ptr<CompletionQueue> completions = std::make_shared<CompletionQueue>(&completed);
  std::vector<Completion> delivered;  // deliver_completions()'s buffer, reused
  /// Where every connection's reads land. One is enough: the loop reads one connection at a
  /// time and on_read copies what it keeps. One per connection kept a page or two of each
  /// resident (64 KiB, just under malloc's mmap threshold, on the heap) after it closed.
  char read_buffer[kReadBufferBytes];
  HandlerPool pool;
  /// Calls whose handler runs and has not been given up on.
  std::size_t running_calls = 0;
  std::unordered_set<Connection*> connections;
  /// Connections whose call waits for a free slot (ServerSettings::max_concurrent_calls).
  std::deque<Connection*> waiting;
  bool shutting_down = false;
  std::shared_ptr<std::atomic<std::size_t>> stuck_handlers = std::make_shared<std::atomic<std::size_t>>(0);
  /// Set when the call that hit the stuck-handler bound has been answered: exit then.
  bool exit_after_answer = false;

  /// Lent connections (Connection::lend): a handler thread reads, runs and answers their calls;
  /// the loop only watches the deadlines of the calls they run. Loop only.
  std::vector<Connection*> lent;
  /// Guards each lent connection's `lent_call` and `lent_deadline`, and `lent_watch_until`.
  std::mutex lent_mutex;
  /// When the loop next looks at the lent calls' deadlines. A lending thread whose call ends
  /// earlier wakes the loop; in the usual sequence (each deadline later than the last) nothing
  /// wakes it per call.
  protocol::SystemTime lent_watch_until = protocol::SystemTime::max();
  std::atomic<bool> lent_call_posted{false};
  uv_timer_t lent_deadline_timer{};
  bool lent_deadline_timer_initialised = false;
  /// Set at shutdown: lending threads give their connections back after the call in hand.
  std::atomic<bool> lending_stopped{false};
  /// Set while there are more connections than kMaxLentConnections: the same, but the loop
  /// then goes on serving them.
  std::atomic<bool> lending_recalled{false};

  Impl(Handler h, ServerSettings s)
      : handler(std::move(h)),
        settings(std::move(s)),
        protocol(settings.protocol ? settings.protocol : fn_protocol(settings.environment, settings.limits)) {}

  int run();
  std::string open_loop_handles();
  std::string open_listener();
  std::string open_unix_listener();
  std::string open_tcp_listener(const TcpEndpoint& endpoint);
  static void on_connection(uv_stream_t* server, int status);
  void accept_connection();
  void start_call(Connection& conn, protocol::RawRequest request);
  void start_accepted_call(Connection& conn, std::shared_ptr<CallTicket> ticket, protocol::SystemTime now);
  CallStart start_check(const Context& ctx, protocol::SystemTime now) const;
  void prepare_ticket(CallTicket& ticket, Connection& conn);
  void watch_lent_call(Connection& conn, const std::shared_ptr<CallTicket>& ticket);
  void unwatch_lent_call(Connection& conn);
  void watch_lent_deadlines();
  void update_lending_recall();
  void launch_call(Connection& conn);
  void launch_waiting_calls();
  void deliver_completions();
  bool take_report_of(Connection& conn);
  void want_report_of(Connection& conn);
  void begin_shutdown(int signal_number);
  void abandon_all_calls();
  void finish_shutdown_if_idle();
  void remove_unix_socket_files();
  void exit_for_replacement();
  [[noreturn]] void exit_unable_to_accept(int code);
  [[noreturn]] void exit_now(int exit_code);
  void refuse_and_exit(Connection& conn, const std::string& call_id);

  void close_listener();
  void stop_loop();
};

// One agent connection. Handles are embedded, so the struct lives until both are closed.
struct Connection {
  Server::Impl& server;
  StreamHandle peer_stream{};
  uv_timer_t deadline_timer{};
  std::shared_ptr<SocketGuard> socket = std::make_shared<SocketGuard>();
  protocol::MessageParser parser;
  // Bytes that arrived after the request being served. Parsing advances `backlog_start`
  // instead of copying the rest per request (a pipelined backlog stays linear).
  std::string backlog;
  std::size_t backlog_start = 0;
  std::size_t max_unconsumed;

  // Where the connection is, exactly one at a time.
  enum class State {
    idle,           // no call: requests are read and parsed as they arrive
    queued,         // a call waits in Server::Impl::waiting for a free slot; its deadline runs
    handling,       // a call's handler runs on a worker thread
    handing_back,   // asked to close while the handler's thread writes its answer: close once it reports
    lent,           // a handler thread reads, runs and answers the calls (Connection::lend)
    writing,        // the loop writes an answer
    closing,        // the handles are closing; the connection is deleted when both have closed
  };
  State state = State::idle;
  // Kept apart from `state`: the peer can stop sending (EOF, reset) in any state, and what
  // is owed is still answered before the connection closes.
  bool input_ended = false;
  int handles_open = 2;

  // The call being served, if any.
  std::shared_ptr<CallTicket> ticket;
  // The last call's ticket, kept for the next call when no handler's thread holds it any more:
  // its Context is refilled in place instead of built and torn down on every call.
  std::shared_ptr<CallTicket> spare_ticket;
  bool keep_alive = true;
  // Inside feed(): the bytes being fed are not all accounted for yet, so no lending.
  bool feeding = false;

  // While lent, guarded by server.lent_mutex: the call the lending thread runs, for the loop's
  // deadline watch, and that call's deadline.
  std::shared_ptr<CallTicket> lent_call;
  protocol::SystemTime lent_deadline{};
  // Loop only: close() was asked for while lent; done when the connection comes back.
  bool close_when_returned = false;

  explicit Connection(Server::Impl& s)
      : server(s),
        parser(s.settings.limits),
        max_unconsumed(s.settings.limits.max_body_bytes + s.settings.limits.max_header_bytes + kReadBufferBytes) {
    as_handle(peer_stream)->data = this;
    deadline_timer.data = this;
  }

  bool busy() const { return state != State::idle && state != State::closing; }
  bool closing() const { return state == State::closing; }
  std::shared_ptr<CallTicket> ticket_for_next_call();
  void keep_for_next_call(std::shared_ptr<CallTicket>& done);
  void drop_call();

  bool lending_possible() const;
  void lend();
  bool end_lending();
  void drive() noexcept;
  LentEnd serve_lent_calls(Completion& back);
  std::optional<LentEnd> read_request_here(protocol::RawRequest& request);
  void on_returned(Completion back);
  bool take_back(std::shared_ptr<CallTicket> running);
  void take_back_late_call(std::shared_ptr<CallTicket> late);

  void start_reading();
  void stop_reading();
  void feed(std::string_view data);
  void feed_bytes(std::string_view data);
  std::size_t parse(std::string_view data);
  std::size_t backlog_bytes() const { return backlog.size() - backlog_start; }
  void process_backlog();
  void process_unconsumed();
  void answer(protocol::Outcome outcome, bool close_after);
  void send(EncodedAnswer answer, std::size_t written, bool close_after);
  void after_response(bool close_after);
  void on_handler_finished(Completion done);
  void on_deadline();
  void on_peer_finished();
  bool abandon_call();
  void withdraw_queued_call();
  void close();
};

// The loop answers (or drops) the call in flight without its handler. Returns false when the
// handler's thread got there first and is writing its own answer. Counted as stuck first, so
// the handler's thread, which uncounts it when it finds itself abandoned, never sees zero.
bool Connection::abandon_call() {
  ticket->stuck->fetch_add(1);
  if (ticket->answered.exchange(true)) {
    ticket->stuck->fetch_sub(1);
    return false;
  }
  ticket->call.cancelled->store(true, std::memory_order_release);
  --server.running_calls;
  server.launch_waiting_calls();
  return true;
}

// A call that never started: no handler thread to account for, only its place in the queue.
void Connection::withdraw_queued_call() {
  auto& waiting = server.waiting;
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (*it == this) {
      waiting.erase(it);
      break;
    }
  }
}

// The call is over for this connection (answered, refused or abandoned). When no handler's
// thread holds the call any more, its request's storage goes back to the parser for the next
// request: a steady stream of calls then parses into the same strings.
void Connection::drop_call() {
  keep_for_next_call(ticket);
  state = State::idle;
}

// Keeps a finished call's ticket, and gives its request's storage to the parser, when nobody
// else holds the ticket any more; `done` is empty afterwards either way.
void Connection::keep_for_next_call(std::shared_ptr<CallTicket>& done) {
  if (done && done.use_count() == 1) {
    protocol::RawRequest spent;
    spent.headers = core::take_headers(done->call.context);
    spent.body = std::move(done->call.body);
    parser.reuse(std::move(spent));
    spare_ticket = std::move(done);
  }
  done.reset();
}

// A ticket in its initial state: the last call's when there is one, else a new one.
std::shared_ptr<CallTicket> Connection::ticket_for_next_call() {
  if (!spare_ticket) return std::make_shared<CallTicket>();
  spare_ticket->reset_for_next_call();
  return std::move(spare_ticket);
}

void Connection::start_reading() {
  if (closing()) return;
  auto on_alloc = [](uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(handle->data);
    *buf = uv_buf_init(self->server.read_buffer, sizeof self->server.read_buffer);
  };
  auto on_read = [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(stream->data);
    if (nread > 0) {
      self->feed(std::string_view(buf->base, static_cast<std::size_t>(nread)));
    } else if (nread < 0) {
      self->on_peer_finished();
    }
  };
  // Called after every answer: UV_EALREADY means it is still reading, which is what we want.
  int rc = uv_read_start(as_stream(peer_stream), on_alloc, on_read);
  if (rc == 0 || rc == UV_EALREADY) return;
  succeeded(rc, "cannot read from a connection; closing it");
  close();
}

void Connection::stop_reading() {
  // Idempotent, and cannot fail for a stream that is open (libuv documents it).
  if (!closing()) succeeded(uv_read_stop(as_stream(peer_stream)), "cannot pause reading from a connection");
}

void Connection::feed(std::string_view data) {
  feeding = true;
  feed_bytes(data);
  feeding = false;
}

void Connection::feed_bytes(std::string_view data) {
  // Usually the call that ran has finished and its report waits unheard: take it first.
  if (server.take_report_of(*this) && closing()) return;
  if (busy() || backlog_bytes() > 0) {  // bytes of a pipelined request: keep them for later, within bounds
    backlog.append(data);
    if (backlog_bytes() > max_unconsumed) stop_reading();
    server.want_report_of(*this);  // the next request waits for this call
    return;
  }
  // Reading goes on during the call (no epoll changes per call); what arrives is buffered.
  std::size_t used = parse(data);
  if (used < data.size()) backlog.append(data.substr(used));
  if (backlog_bytes() > 0) server.want_report_of(*this);  // the next request waits for this call
}

// Feeds the parser; starts the call when a request is complete. Returns the bytes used.
std::size_t Connection::parse(std::string_view data) {
  std::size_t consumed = 0;
  auto status = parser.feed(data, consumed);
  if (status == protocol::MessageParser::Status::complete) {
    try {
      server.start_call(*this, parser.take_message());
    } catch (const std::exception& error) {
      // Out of memory: this call fails, the function lives on.
      answer(protocol::to_outcome(
                 core::unavailable_result("", std::string("The function could not start this call: ") + error.what())),
             true);
    }
  } else if (status == protocol::MessageParser::Status::error) {
    stop_reading();
    answer(protocol::malformed_request_outcome(parser.error_message()), true);
    consumed = data.size();
  }
  return consumed;
}

void Connection::process_backlog() {
  while (!busy() && !closing() && backlog_bytes() > 0) {
    backlog_start += parse(std::string_view(backlog).substr(backlog_start));
  }
  if (backlog_start == backlog.size()) {
    backlog.clear();
    backlog_start = 0;
  } else if (backlog_start >= backlog.size() / 2) {  // amortised: each byte moves at most once per halving
    backlog.erase(0, backlog_start);
    backlog_start = 0;
  }
  if (backlog_bytes() > 0) server.want_report_of(*this);  // the next request waits for this call
}

void Connection::process_unconsumed() {
  process_backlog();
  if (closing()) return;
  if (input_ended && !busy()) {
    close();
  } else if (!busy() && !feeding && lending_possible()) {
    lend();
  } else if (!input_ended && backlog_bytes() <= max_unconsumed) {
    start_reading();
  }
}

void Connection::on_peer_finished() {
  // The agent never half-closes, but other clients may, and still want their answer.
  input_ended = true;
  stop_reading();
  server.take_report_of(*this);
  if (!busy()) close();
}

void Connection::answer(protocol::Outcome outcome, bool close_after) {
  if (!outcome.log_line.empty()) write_stderr_line(server.protocol->log_line(outcome.log_line));
  if (ticket && ticket->head_only) outcome.omit_body = true;
  drop_call();
  close_after = close_after || !keep_alive || server.shutting_down;
  send(server.protocol->encode(std::move(outcome), close_after), 0, close_after);
}

// Sends the answer from byte `written` on. The answer (and so its body) lives in the write
// request until libuv has finished with it.
void Connection::send(EncodedAnswer answer, std::size_t written, bool close_after) {
  struct Write {
    uv_write_t request{};
    EncodedAnswer answer;
    Connection* connection;
    bool close_after;
  };
  auto* write = new Write{{}, std::move(answer), this, close_after};
  UnsentParts left = unsent_parts(write->answer, written);
  uv_buf_t bufs[2];
  for (int i = 0; i < left.count; ++i) {
    // libuv only reads the buffers it is given.
    bufs[i] = uv_buf_init(const_cast<char*>(left.parts[i].data()), static_cast<unsigned>(left.parts[i].size()));
  }
  state = State::writing;
  write->request.data = write;
  auto on_written = [](uv_write_t* req, int status) {
    auto* done = static_cast<Write*>(req->data);
    Connection* self = done->connection;
    bool close_now = done->close_after || status < 0;
    delete done;
    if (self->server.exit_after_answer) self->server.exit_for_replacement();
    if (self->closing()) return;  // cancelled by close(): nothing left to do
    self->state = State::idle;
    self->after_response(close_now);
  };
  int rc = uv_write(&write->request, as_stream(peer_stream), bufs, static_cast<unsigned>(left.count), on_written);
  if (rc != 0) {
    delete write;
    succeeded(rc, "cannot send an answer; closing the connection");
    state = State::idle;
    if (server.exit_after_answer) server.exit_for_replacement();
    close();
  }
}

void Connection::after_response(bool close_after) {
  if (close_after) {
    close();
  } else {
    process_unconsumed();
  }
}

void Connection::on_handler_finished(Completion done) {
  succeeded(uv_timer_stop(&deadline_timer), "cannot stop a call's deadline timer");
  bool close_after = state == State::handing_back || !keep_alive || server.shutting_down || done.write_failed;
  drop_call();
  if (done.unsent && !done.write_failed) {
    send(std::move(*done.unsent), done.written, close_after);
  } else {
    after_response(close_after);
  }
}

void Connection::on_deadline() {
  // The call may have finished without telling the loop yet (reports wake the loop only when
  // needed): take the reports first. A call started since then has its own run of the timer.
  const CallTicket* timed = ticket.get();
  server.deliver_completions();
  if (ticket.get() != timed) return;
  // The handler keeps its thread; the caller gets its answer now and the flag tells the
  // handler to stop. Its late result is dropped on its own thread.
  if (state == State::queued) {
    withdraw_queued_call();
  } else if (state != State::handling || !abandon_call()) {
    return;  // the response is being written
  }
  const Context& ctx = ticket->call.context;
  answer(protocol::to_outcome(core::deadline_result(ctx.call_id(), ctx.deadline())), false);
}

void Connection::close() {
  if (closing() || state == State::handing_back) return;
  if (state == State::lent) {
    std::shared_ptr<CallTicket> running;
    {
      std::lock_guard lock(server.lent_mutex);
      running = lent_call;
    }
    if (!running || !take_back(std::move(running))) {
      // The lending thread waits for a request or is sending its answer: wake it, and close
      // once it has given the connection back.
      close_when_returned = true;
      ::shutdown(socket->fd, SHUT_RDWR);
      return;
    }
    drop_call();  // its handler runs on, abandoned like any call whose connection closes
  }
  if (state == State::queued) {
    withdraw_queued_call();
    drop_call();
  } else if (state == State::handling) {
    if (!abandon_call()) {
      state = State::handing_back;  // the handler's thread is writing its answer
      server.want_report_of(*this);  // its report finishes the close
      return;
    }
    drop_call();
  }
  state = State::closing;
  {
    std::lock_guard lock(socket->mutex);
    socket->open = false;  // from here on no handler thread writes to the descriptor
  }
  auto on_closed = [](uv_handle_t* handle) {
    auto* self = static_cast<Connection*>(handle->data);
    if (--self->handles_open > 0) return;
    Server::Impl& owner = self->server;
    owner.connections.erase(self);
    owner.update_lending_recall();
    delete self;
    owner.finish_shutdown_if_idle();
  };
  uv_close(as_handle(peer_stream), on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline_timer), on_closed);
}

void Server::Impl::start_call(Connection& conn, protocol::RawRequest request) {
  conn.keep_alive = request.keep_alive;
  auto now = std::chrono::system_clock::now();
  // The call is built right inside its ticket (never moved); a refused request's ticket is dropped.
  auto ticket = conn.ticket_for_next_call();
  if (auto refused = protocol->accept(std::move(request), now, ticket->call)) {
    conn.answer(std::move(*refused), false);
    return;
  }
  ticket->head_only = protocol->head_only(ticket->call);
  start_accepted_call(conn, std::move(ticket), now);
}

void Server::Impl::start_accepted_call(Connection& conn, std::shared_ptr<CallTicket> ticket,
                                       protocol::SystemTime now) {
  const Context& ctx = ticket->call.context;
  switch (start_check(ctx, now)) {
    case CallStart::too_late: {  // do not start work nobody will receive
      auto late = protocol::to_outcome(core::deadline_result(ctx.call_id(), ctx.deadline()), ticket->head_only);
      conn.answer(std::move(late), false);
      return;
    }
    case CallStart::stuck_bound_reached:
      refuse_and_exit(conn, ctx.call_id());
      return;
    case CallStart::go:
      break;
  }
  prepare_ticket(*ticket, conn);
  conn.ticket = ticket;

  if (ctx.has_deadline()) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.deadline() - now).count();
    int rc = uv_timer_start(&conn.deadline_timer,
                            [](uv_timer_t* timer) { static_cast<Connection*>(timer->data)->on_deadline(); },
                            static_cast<std::uint64_t>(wait), 0);
    if (rc != 0) {  // a call without its deadline could outlive the caller's patience unnoticed
      conn.answer(protocol::to_outcome(core::unavailable_result(
                      ctx.call_id(), uv_problem("The function could not start this call's deadline timer", rc) +
                                         "; retry later.")),
                  true);
      return;
    }
  }
  if (settings.max_concurrent_calls != 0 && running_calls >= settings.max_concurrent_calls) {
    conn.state = Connection::State::queued;  // the deadline runs while it waits
    waiting.push_back(&conn);
    return;
  }
  launch_call(conn);
}

// Whether an accepted call may run now. The loop answers the others itself; a lending thread
// hands them to the loop.
CallStart Server::Impl::start_check(const Context& ctx, protocol::SystemTime now) const {
  if (ctx.deadline() <= now) return CallStart::too_late;
  if (stuck_handlers->load() >= settings.max_stuck_handlers) return CallStart::stuck_bound_reached;
  return CallStart::go;
}

// What a handler's thread needs besides the call itself.
void Server::Impl::prepare_ticket(CallTicket& ticket, Connection& conn) {
  ticket.connection = &conn;
  ticket.socket = conn.socket;
  ticket.stuck = stuck_handlers;
  ticket.completions = completions;
  ticket.call_protocol = protocol;
  ticket.handler = &handler;
  ticket.keep_alive = conn.keep_alive;
}

// Starts queued calls while slots are free (a call ended or was abandoned).
void Server::Impl::launch_waiting_calls() {
  while (!waiting.empty() &&
         (settings.max_concurrent_calls == 0 || running_calls < settings.max_concurrent_calls)) {
    Connection* conn = waiting.front();
    waiting.pop_front();
    launch_call(*conn);
  }
}

void Server::Impl::launch_call(Connection& conn) {
  std::shared_ptr<CallTicket> ticket = conn.ticket;  // the refusal below still reads it
  const Context& ctx = ticket->call.context;
  conn.state = Connection::State::handling;
  ++running_calls;
  try {
    pool.submit(conn.ticket);
    // The loop lends a connection once it has answered a call on it; without this, it would
    // hear of the end of this call only when the next request arrives, inside feed(), where
    // it cannot lend.
    if (conn.lending_possible()) want_report_of(conn);
  } catch (const std::exception& error) {
    // No thread for it (pids limit, memory): the call is refused for good; the pool kept nothing.
    succeeded(uv_timer_stop(&conn.deadline_timer), "cannot stop a call's deadline timer");
    --running_calls;
    conn.drop_call();
    conn.answer(protocol::to_outcome(core::unavailable_result(
                    ctx.call_id(), std::string("The function could not start a thread for this call (") + error.what() +
                                       "); retry later.")),
                true);
  }
}

// Fn keeps a container that answers 502, so one that can no longer serve must not stay: it
// answers this call, says why in one line, and exits so the agent starts a fresh container.
void Server::Impl::refuse_and_exit(Connection& conn, const std::string& call_id) {
  std::string limit = std::to_string(settings.max_stuck_handlers);
  exit_after_answer = true;
  conn.answer(protocol::to_outcome(core::unavailable_result(
                  call_id, limit + " handlers are still running after their calls ended (the limit, "
                           "FDK_MAX_STUCK_HANDLERS, is " + limit +
                           "): the function exits so that " + protocol->replacer() +
                           " replaces it. Make the handler return when ctx.cancelled() turns true.")),
              true);
}

void Server::Impl::remove_unix_socket_files() {
  if (settings.tcp) return;
  std::string problem = remove_socket_files(settings.paths);
  if (!problem.empty()) write_stderr_line("fdk-cpp: " + problem);
}

void Server::Impl::exit_for_replacement() { exit_now(kExitStuckHandlers); }

void Server::Impl::exit_unable_to_accept(int code) {
  write_stderr_line(uv_problem("fdk-cpp: cannot set up a new connection", code) +
                    "; the function can accept no more connections and exits.");
  exit_now(1);
}

void Server::Impl::exit_now(int exit_code) {
  remove_unix_socket_files();
  flush_handler_output();
  std::_Exit(exit_code);  // handler threads may still use the process: no destructors
}

core::CallResult CallTicket::execute() noexcept {
  if (!call.log_frame.empty()) write_log_frame(call.log_frame);
  core::CallResult result = core::run_handler(*handler, call.context, call.body);
  flush_handler_output();
  return core::result_at(std::move(result), call.context, std::chrono::system_clock::now());
}

EncodedAnswer CallTicket::encode_answer(core::CallResult result) const {
  if (!result.log_line.empty()) write_stderr_line(call_protocol->log_line(result.log_line));
  // Shutdown is not known here; the loop closes after this response if it is shutting down.
  return call_protocol->encode(protocol::to_outcome(std::move(result), head_only), !keep_alive);
}

void CallTicket::run(std::shared_ptr<HandlerPool::Job>& self) noexcept {
  core::CallResult result = execute();
  if (answered.exchange(true)) {  // the loop answered 504 or dropped the connection
    stuck->fetch_sub(1);
    return;
  }
  EncodedAnswer answer = encode_answer(std::move(result));
  Completion done;
  done.connection = connection;
  // Before the answer goes out: once it has, the client may send its next call at once. What is
  // left (a write that does not block, the report to the loop) is short.
  HandlerPool::current_job_finishing();
  {
    std::lock_guard lock(socket->mutex);
    if (socket->open) {
      send_what_the_socket_takes(socket->fd, std::move(answer), done);
    } else {
      done.write_failed = true;
    }
  }
  // The loop must act at once when the answer is not all out or the connection closes after
  // it; otherwise the caller's next request wakes the loop, which takes this report then.
  bool urgent = done.unsent.has_value() || done.write_failed || !keep_alive;
  // The loop built the request's strings: let it free them too (glibc frees fastest on the
  // thread that allocated). The connection keeps the call, and so `report_wanted`, until it
  // has this report.
  const bool& wanted = report_wanted;
  std::shared_ptr<CompletionQueue> queue = std::move(completions);
  self.reset();
  queue->push(std::move(done), urgent, wanted);
}

// ---------------------------------------------------------------------------------------------
// Lending: on a keep-alive connection the loop hands the connection itself to a handler thread,
// which then reads each request straight from the socket, runs its call and writes the answer,
// with no hand-off between threads per call: two system calls per call (the read and the send),
// and no futex or thread switch on the way. The loop stays the deadline's watchdog: it answers
// 504 when a lent call overruns, and takes the connection back then. Whatever else needs the
// loop (a refusal, a parse error, a hang-up, the shutdown) makes the thread give the connection
// back with a report saying why.
//
// Who may touch the connection: the loop while it is not lent; the lending thread while it is,
// until it either reports (LentEnd) or loses a call's `answered` flag to the loop, after which
// it touches nothing of the connection again.

namespace {

// The job a lending thread runs: it drives the connection until it gives it back.
struct ConnectionDriver final : HandlerPool::Job {
  explicit ConnectionDriver(Connection* c) : connection(c) {}
  void run(std::shared_ptr<HandlerPool::Job>&) noexcept override;
  Connection* connection;
};

}  // namespace

// Whether this connection may be lent once it is idle. Not while a pipelined request waits, the
// caller is going away or a bound on calls at once needs the loop to count every call.
bool Connection::lending_possible() const {
  return keep_alive && !input_ended && backlog_bytes() == 0 && !server.shutting_down && !server.exit_after_answer &&
         server.settings.max_concurrent_calls == 0 && !server.lending_recalled.load(std::memory_order_relaxed);
}

void Connection::lend() {
  stop_reading();
  if (!set_lent_mode(socket->fd, true)) {  // lending saves time, nothing more: stay on the loop
    if (set_lent_mode(socket->fd, false)) {
      start_reading();
    } else {
      close();
    }
    return;
  }
  state = State::lent;
  close_when_returned = false;
  server.lent.push_back(this);
  try {
    server.pool.submit(std::make_shared<ConnectionDriver>(this));
  } catch (const std::exception&) {  // no thread to lend it to: the loop keeps serving it
    state = State::idle;
    if (end_lending()) {
      start_reading();
    } else {
      close();
    }
  }
}

// Back on the loop (from the report, or from a call the loop took back): the loop's socket mode
// and no deadline watch. Returns false when the socket cannot be made non-blocking again.
bool Connection::end_lending() {
  {
    std::lock_guard lock(server.lent_mutex);
    lent_call.reset();
  }
  auto& lent = server.lent;
  lent.erase(std::remove(lent.begin(), lent.end(), this), lent.end());
  if (set_lent_mode(socket->fd, false)) return true;
  write_stderr_line(std::string("fdk-cpp: cannot make a connection's socket non-blocking again (") +
                    std::strerror(errno) + "); closing the connection.");
  return false;
}

void ConnectionDriver::run(std::shared_ptr<HandlerPool::Job>&) noexcept { connection->drive(); }

// The lending thread: serves calls until something needs the loop, then reports why.
void Connection::drive() noexcept {
  Completion back;
  back.connection = this;
  LentEnd end = LentEnd::failed;
  try {
    end = serve_lent_calls(back);
  } catch (const std::exception& error) {  // out of memory: this call fails, the function lives on
    back.failure = error.what();
  }
  if (back.lent_end) return;  // the loop took the connection back: it is not this thread's any more
  back.lent_end = end;
  std::shared_ptr<CompletionQueue> queue = server.completions;
  const bool wanted = true;
  queue->push(std::move(back), true, wanted);
}

// Returns why the connection goes back. A call the loop took back sets `back.lent_end` instead,
// and then nothing of the connection may be touched.
LentEnd Connection::serve_lent_calls(Completion& back) {
  for (;;) {
    if (server.lending_stopped.load(std::memory_order_acquire)) return LentEnd::shutting_down;
    if (server.lending_recalled.load(std::memory_order_relaxed)) return LentEnd::recalled;
    protocol::RawRequest request;
    if (auto stop = read_request_here(request)) return *stop;
    keep_alive = request.keep_alive;
    auto now = std::chrono::system_clock::now();
    std::shared_ptr<CallTicket> call = ticket_for_next_call();
    if (auto refused = server.protocol->accept(std::move(request), now, call->call)) {
      back.refusal = std::move(refused);
      keep_for_next_call(call);
      return LentEnd::refused;
    }
    call->head_only = server.protocol->head_only(call->call);
    if (server.start_check(call->call.context, now) != CallStart::go) {
      back.call = std::move(call);
      return LentEnd::call_for_loop;
    }
    server.prepare_ticket(*call, *this);
    server.watch_lent_call(*this, call);
    core::CallResult result = call->execute();
    if (call->answered.exchange(true)) {  // the loop answered 504, or closed the connection
      call->stuck->fetch_sub(1);
      back.lent_end = LentEnd::answered;
      return LentEnd::answered;
    }
    server.unwatch_lent_call(*this);
    // No SocketGuard lock: while lent, the loop never closes the descriptor (close() only shuts
    // it down and waits for the connection to come back).
    send_what_the_socket_takes(socket->fd, call->encode_answer(std::move(result)), back);
    keep_for_next_call(call);
    // A caller that reads slowly gets the rest from the loop.
    if (back.write_failed || back.unsent || !keep_alive) return LentEnd::answered;
  }
}

// Reads the next request, bytes left over from the last read first. Returns why not, when not.
// The buffer lives in this frame only (the parser copies what it keeps): the handler's frames
// later use the same stack pages instead of pages further down.
std::optional<LentEnd> Connection::read_request_here(protocol::RawRequest& request) {
  char buffer[kLentReadBytes];
  for (;;) {
    const bool from_backlog = backlog_bytes() > 0;
    std::string_view data;
    if (from_backlog) {
      data = std::string_view(backlog).substr(backlog_start);
    } else {
      ssize_t n = ::recv(socket->fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return LentEnd::idle;
      if (n <= 0) return LentEnd::peer_finished;
      data = std::string_view(buffer, static_cast<std::size_t>(n));
    }
    std::size_t consumed = 0;
    auto status = parser.feed(data, consumed);
    if (status == protocol::MessageParser::Status::error) return LentEnd::malformed;
    if (from_backlog) {
      backlog_start += consumed;
      if (backlog_start == backlog.size()) {
        backlog.clear();
        backlog_start = 0;
      }
    } else if (consumed < data.size()) {
      backlog.append(data.substr(consumed));  // a pipelined request: served next
    }
    if (status == protocol::MessageParser::Status::complete) {
      request = parser.take_message();
      return std::nullopt;
    }
  }
}

// On the loop: a lending thread gave the connection back.
void Connection::on_returned(Completion back) {
  state = State::idle;
  if (!end_lending()) {
    close();
    return;
  }
  const LentEnd end = *back.lent_end;
  if (end == LentEnd::answered) {
    bool close_after = close_when_returned || !keep_alive || server.shutting_down || back.write_failed;
    if (back.unsent && !back.write_failed) {
      send(std::move(*back.unsent), back.written, close_after);
    } else {
      after_response(close_after);
    }
    return;
  }
  const bool waits_for_request = end == LentEnd::idle || end == LentEnd::recalled;
  if (close_when_returned || end == LentEnd::shutting_down || (server.shutting_down && waits_for_request)) {
    close();
    return;
  }
  switch (end) {
    case LentEnd::idle:
    case LentEnd::recalled:
      start_reading();
      break;
    case LentEnd::peer_finished:
      on_peer_finished();
      break;
    case LentEnd::malformed:
      answer(protocol::malformed_request_outcome(parser.error_message()), true);
      break;
    case LentEnd::refused:
      answer(std::move(*back.refusal), false);
      break;
    case LentEnd::call_for_loop:
      start_reading();  // as for any call the loop runs: its report comes with the next request
      server.start_accepted_call(*this, std::move(back.call), std::chrono::system_clock::now());
      if (backlog_bytes() > 0) server.want_report_of(*this);  // a pipelined request waits for this call
      break;
    case LentEnd::failed:
      answer(protocol::to_outcome(
                 core::unavailable_result("", "The function could not start this call: " + back.failure)),
             true);
      break;
    case LentEnd::answered:
    case LentEnd::shutting_down:
      break;  // handled above
  }
}

// On the loop: takes a lent connection back from the thread running `running`, if the thread
// has not answered it yet. The call is then the loop's, as if it ran on a handler thread: the
// caller is owed an answer and the handler runs on, counted as stuck, with its cancel flag set.
bool Connection::take_back(std::shared_ptr<CallTicket> running) {
  running->stuck->fetch_add(1);  // before the flag: see abandon_call
  if (running->answered.exchange(true)) {
    running->stuck->fetch_sub(1);
    return false;
  }
  running->call.cancelled->store(true, std::memory_order_release);
  if (!end_lending()) keep_alive = false;  // the 504 still goes out; then the connection closes
  ticket = std::move(running);
  state = State::handling;
  return true;
}

void Connection::take_back_late_call(std::shared_ptr<CallTicket> late) {
  if (!take_back(std::move(late))) return;  // answered in time: the thread goes on serving
  const Context& ctx = ticket->call.context;
  answer(protocol::to_outcome(core::deadline_result(ctx.call_id(), ctx.deadline())), false);
}

// On the lending thread, before the handler runs: the loop watches the call's deadline. The
// loop is woken only when this deadline comes before the time it already planned to look.
void Server::Impl::watch_lent_call(Connection& conn, const std::shared_ptr<CallTicket>& call) {
  const Context& ctx = call->call.context;
  const protocol::SystemTime deadline = ctx.has_deadline() ? ctx.deadline() : protocol::SystemTime::max();
  bool wake_loop = false;
  {
    std::lock_guard lock(lent_mutex);
    conn.lent_call = call;
    conn.lent_deadline = deadline;
    if (deadline < lent_watch_until) {
      lent_watch_until = deadline;
      wake_loop = true;
    }
  }
  if (wake_loop) {
    lent_call_posted.store(true, std::memory_order_release);
    succeeded(uv_async_send(&completed), "cannot wake the event loop for a call's deadline");
  }
}

void Server::Impl::unwatch_lent_call(Connection& conn) {
  std::lock_guard lock(lent_mutex);
  conn.lent_call.reset();
}

// On the loop, when the number of connections changes: lending threads read the rule as a flag.
void Server::Impl::update_lending_recall() {
  lending_recalled.store(connections.size() > kMaxLentConnections, std::memory_order_relaxed);
}

// On the loop: answers the lent calls past their deadline and sleeps until the next one.
void Server::Impl::watch_lent_deadlines() {
  const auto now = std::chrono::system_clock::now();
  std::vector<std::pair<Connection*, std::shared_ptr<CallTicket>>> late;
  protocol::SystemTime next = protocol::SystemTime::max();
  {
    std::lock_guard lock(lent_mutex);
    // A planned look still ahead stays planned even when no call runs now. A call ends in
    // microseconds, usually before the loop looks at it: dropping the plan then would make
    // the next call, whose deadline is later, wake the loop again, on every call.
    if (lent_watch_until > now) next = lent_watch_until;
    for (Connection* conn : lent) {
      if (!conn->lent_call) continue;
      if (conn->lent_deadline <= now) {
        late.emplace_back(conn, conn->lent_call);
      } else {
        next = std::min(next, conn->lent_deadline);
      }
    }
    lent_watch_until = next;
  }
  for (auto& [conn, call] : late) conn->take_back_late_call(std::move(call));
  if (!lent_deadline_timer_initialised) return;
  if (next == protocol::SystemTime::max()) {
    succeeded(uv_timer_stop(&lent_deadline_timer), "cannot stop the lent calls' deadline timer");
    return;
  }
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
  int rc = uv_timer_start(&lent_deadline_timer,
                          [](uv_timer_t* timer) { static_cast<Impl*>(timer->data)->watch_lent_deadlines(); },
                          static_cast<std::uint64_t>(wait), 0);
  if (rc != 0) {  // without the timer, an overrunning lent call would go unanswered: take them all back
    succeeded(rc, "cannot start the lent calls' deadline timer; serving every connection on the event loop");
    std::vector<Connection*> lent_now = lent;
    for (Connection* conn : lent_now) conn->close();
  }
}

void Server::Impl::deliver_completions() {
  // Moved out while it is walked: a report handled here must not be able to clear it.
  std::vector<Completion> batch = std::move(delivered);
  completions->take_all(batch);
  for (auto& done : batch) {
    if (done.lent_end) {
      done.connection->on_returned(std::move(done));
      continue;
    }
    --running_calls;
    done.connection->on_handler_finished(std::move(done));
  }
  batch.clear();
  delivered = std::move(batch);  // keeps its capacity for the next call
  launch_waiting_calls();
}

// For a connection whose call runs: asks for its report and, when reports already wait
// (the common case: the call finished and the caller sent its next request), takes them now.
// Returns true when it took reports.
bool Server::Impl::take_report_of(Connection& conn) {
  if (conn.state != Connection::State::handling) return false;
  if (!completions->want_report(conn.ticket->report_wanted)) return false;
  deliver_completions();
  return true;
}

// The same, for callers that must not take reports inside their own callback: reports already
// waiting are taken in a callback of their own.
void Server::Impl::want_report_of(Connection& conn) {
  // handing_back too: close() asks for the report of the call whose answer is being written.
  if (conn.state != Connection::State::handling && conn.state != Connection::State::handing_back) return;
  if (completions->want_report(conn.ticket->report_wanted)) {
    succeeded(uv_async_send(&completed), "cannot wake the event loop for a call's report");
  }
}

void Server::Impl::accept_connection() {
  auto* conn = new Connection(*this);
  // libuv holds the listener until the pending connection is taken, so a server that cannot
  // take it can never accept again: leave, so that the platform starts a fresh process.
  int rc = uv_timer_init(&loop, &conn->deadline_timer);
  if (rc != 0) exit_unable_to_accept(rc);
  rc = settings.tcp ? uv_tcp_init(&loop, &conn->peer_stream.tcp) : uv_pipe_init(&loop, &conn->peer_stream.pipe, 0);
  if (rc != 0) exit_unable_to_accept(rc);
  connections.insert(conn);
  update_lending_recall();
  rc = uv_accept(as_stream(listener), as_stream(conn->peer_stream));
  if (rc != 0) {
    succeeded(rc, "cannot accept a connection");
    conn->close();
    return;
  }
  // Responses go out in one write: Nagle's delay would only hold back the next keep-alive answer.
  if (settings.tcp) succeeded(uv_tcp_nodelay(&conn->peer_stream.tcp, 1), "cannot turn off Nagle's algorithm");
  uv_os_fd_t fd = -1;
  rc = uv_fileno(as_handle(conn->peer_stream), &fd);
  if (rc != 0) {  // handler threads write to the descriptor directly: without it, no answers
    succeeded(rc, "cannot get a connection's descriptor; closing it");
    conn->close();
    return;
  }
  conn->socket->fd = fd;
  conn->start_reading();
}

void Server::Impl::begin_shutdown(int signal_number) {
  if (shutting_down) return;
  shutting_down = true;
  completions->want_all_reports();  // each call still running closes its connection when it ends
  write_stderr_line(std::string("fdk-cpp: received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
                    ", finishing the call in flight and exiting.");
  close_listener();
  remove_unix_socket_files();
  // Lending threads give their connections back after the call in hand; one waiting for a
  // request is woken by the end of input.
  lending_stopped.store(true, std::memory_order_release);
  for (Connection* conn : lent) ::shutdown(conn->socket->fd, SHUT_RD);
  // Copy: closing a connection removes it from the set.
  std::vector<Connection*> open(connections.begin(), connections.end());
  for (Connection* conn : open) {
    if (!conn->busy()) conn->close();
  }
  if (settings.shutdown_grace.count() > 0 && !connections.empty()) {
    // The platform kills the process soon after SIGTERM (Cloud Run: 10 s): leave before it does.
    int rc = uv_timer_init(&loop, &grace_timer);
    grace_timer_initialised = rc == 0;
    grace_timer.data = this;
    if (rc == 0) {
      rc = uv_timer_start(&grace_timer, [](uv_timer_t* timer) { static_cast<Impl*>(timer->data)->abandon_all_calls(); },
                          static_cast<std::uint64_t>(settings.shutdown_grace.count()), 0);
    }
    // Without the timer the calls in flight still finish; only the early exit is lost.
    succeeded(rc, "cannot start the shutdown grace timer; waiting for the calls in flight without a limit");
  }
  finish_shutdown_if_idle();
}

void Server::Impl::abandon_all_calls() {
  write_stderr_line("fdk-cpp: calls still running " + std::to_string(settings.shutdown_grace.count()) +
                    " ms after the shutdown signal are abandoned; exiting.");
  std::vector<Connection*> open(connections.begin(), connections.end());
  for (Connection* conn : open) conn->close();
}

void Server::Impl::finish_shutdown_if_idle() {
  if (!shutting_down || !connections.empty()) return;
  for (auto [timer, initialised] : {std::pair{&grace_timer, grace_timer_initialised},
                                     std::pair{&lent_deadline_timer, lent_deadline_timer_initialised}}) {
    auto* handle = reinterpret_cast<uv_handle_t*>(timer);
    if (initialised && !uv_is_closing(handle)) uv_close(handle, nullptr);
  }
  completions->close();
  auto* wakeup = reinterpret_cast<uv_handle_t*>(&completed);
  if (completed_initialised && !uv_is_closing(wakeup)) uv_close(wakeup, nullptr);
}

void Server::Impl::close_listener() {
  auto* handle = as_handle(listener);
  if (listener_initialised && !uv_is_closing(handle)) uv_close(handle, nullptr);
}

// The signal watchers stay installed until the loop has finished: closing them restores the
// default action, and a second SIGINT during shutdown would then kill the process.
// Afterwards SIGINT and SIGTERM are ignored: the function is on its way out. Between the two
// they are blocked on this thread, and handler threads block them from their start
// (HandlerPool), so none lands while the default action is in place.
void Server::Impl::stop_loop() {
  {
    SignalsBlocked shutdown_signals{SIGINT, SIGTERM};
    uv_signal_t* watchers[] = {&sigterm, &sigint};
    for (int i = 0; i < signal_watchers_initialised; ++i) uv_close(reinterpret_cast<uv_handle_t*>(watchers[i]), nullptr);
    std::signal(SIGTERM, SIG_IGN);
    std::signal(SIGINT, SIG_IGN);
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // runs the close callbacks; its result only says whether handles remain
  // Busy means a handle is still open: harmless as the process is leaving, but worth a line.
  succeeded(uv_loop_close(&loop), "the event loop still had open handles at exit");
}

void Server::Impl::on_connection(uv_stream_t* server, int status) {
  // libuv reports here a connection it could not take (it refuses connections past the
  // descriptor limit by itself); the listener keeps working and the next one may succeed.
  if (succeeded(status, "cannot accept a connection")) static_cast<Impl*>(server->data)->accept_connection();
}

// The handles every server needs besides its listener: the handler threads' wake-up and the
// signal watchers. Each is initialised before the next, and all are closed by stop_loop().
std::string Server::Impl::open_loop_handles() {
  completed.data = this;
  int rc = uv_async_init(&loop, &completed, [](uv_async_t* async) {
    auto* self = static_cast<Impl*>(async->data);
    self->deliver_completions();
    if (self->lent_call_posted.exchange(false, std::memory_order_acquire)) self->watch_lent_deadlines();
  });
  if (rc != 0) return uv_problem("cannot create the handler threads' wake-up", rc);
  completed_initialised = true;
  rc = uv_timer_init(&loop, &lent_deadline_timer);
  if (rc != 0) return uv_problem("cannot create the lent calls' deadline timer", rc);
  lent_deadline_timer.data = this;
  lent_deadline_timer_initialised = true;
  auto on_signal = [](uv_signal_t* sig, int signum) { static_cast<Impl*>(sig->data)->begin_shutdown(signum); };
  for (auto [watcher, signal_number] : {std::pair{&sigterm, SIGTERM}, std::pair{&sigint, SIGINT}}) {
    rc = uv_signal_init(&loop, watcher);
    if (rc != 0) return uv_problem("cannot watch for shutdown signals", rc);
    watcher->data = this;
    ++signal_watchers_initialised;
    rc = uv_signal_start(watcher, on_signal, signal_number);
    if (rc != 0) return uv_problem("cannot watch for shutdown signals", rc);
    // Installed for the whole run, but they alone do not keep the loop running.
    uv_unref(reinterpret_cast<uv_handle_t*>(watcher));
  }
  return {};
}

std::string Server::Impl::open_listener() { return settings.tcp ? open_tcp_listener(*settings.tcp) : open_unix_listener(); }

std::string Server::Impl::open_unix_listener() {
  std::string problem = remove_socket_files(settings.paths);
  if (!problem.empty()) return problem;
  int rc = uv_pipe_init(&loop, &listener.pipe, 0);
  if (rc != 0) return uv_problem("cannot create the listening socket", rc);
  listener_initialised = true;
  rc = uv_pipe_bind(&listener.pipe, settings.paths.phony_path.c_str());
  if (rc != 0) return uv_problem(("cannot bind the socket '" + settings.paths.phony_path + "'").c_str(), rc);
  as_handle(listener)->data = this;
  rc = uv_listen(as_stream(listener), kListenBacklog, on_connection);
  if (rc != 0) return uv_problem("cannot listen on the socket", rc);
  return publish_socket(settings.paths);
}

std::string Server::Impl::open_tcp_listener(const TcpEndpoint& endpoint) {
  std::string host = endpoint.host == "localhost" ? "127.0.0.1" : endpoint.host;
  std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                      std::to_string(endpoint.port);
  sockaddr_storage address{};
  if (uv_ip4_addr(host.c_str(), endpoint.port, reinterpret_cast<sockaddr_in*>(&address)) != 0 &&
      uv_ip6_addr(host.c_str(), endpoint.port, reinterpret_cast<sockaddr_in6*>(&address)) != 0) {
    return "the address '" + endpoint.host +
           "' is not an IP address or localhost; set FDK_HTTP_ADDRESS to one (0.0.0.0 listens on all).";
  }
  int rc = uv_tcp_init(&loop, &listener.tcp);
  if (rc != 0) return uv_problem("cannot create the listening socket", rc);
  listener_initialised = true;
  rc = uv_tcp_bind(&listener.tcp, reinterpret_cast<const sockaddr*>(&address), 0);
  if (rc != 0) return uv_problem(("cannot bind " + where).c_str(), rc);
  as_handle(listener)->data = this;
  rc = uv_listen(as_stream(listener), kListenBacklog, on_connection);
  if (rc != 0) return uv_problem(("cannot listen on " + where).c_str(), rc);
  write_stderr_line("fdk-cpp: listening for HTTP on " + where);
  return {};
}

int Server::Impl::run() {
  std::signal(SIGPIPE, SIG_IGN);  // a caller that hangs up must not kill the container
  SignalsBlocked sigpipe_blocked{SIGPIPE};
  int rc = uv_loop_init(&loop);
  if (rc != 0) {
    write_stderr_line(uv_problem("fdk-cpp: cannot start the event loop", rc));
    return 1;
  }
  std::string problem = open_loop_handles();
  // With a bound on calls at once, a finished call frees its slot only once the loop hears of it.
  if (settings.max_concurrent_calls != 0) completions->want_all_reports();
  if (problem.empty()) problem = open_listener();
  if (!problem.empty()) {
    write_stderr_line("fdk-cpp: cannot start: " + problem);
    shutting_down = true;
    close_listener();
    finish_shutdown_if_idle();
    stop_loop();
    return 1;
  }
  if (!settings.ready_line.empty()) write_stderr_line(settings.ready_line);

  uv_run(&loop, UV_RUN_DEFAULT);
  stop_loop();
  if (!pool.shutdown()) {
    // A handler is still running past its deadline. Returning would destroy what it is
    // using; leave now, with the logs flushed.
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(0);
  }
  return 0;
}

Server::Server(Handler handler, ServerSettings settings)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(settings))) {}
Server::~Server() = default;

int Server::run() { return impl_->run(); }

}  // namespace fdk::runtime
