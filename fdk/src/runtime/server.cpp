#include "runtime/server.hpp"

#include <uv.h>

#include <pthread.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
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
  void drop_call();

  void start_reading();
  void stop_reading();
  void feed(std::string_view data);
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
  if (ticket && ticket.use_count() == 1) {
    protocol::RawRequest spent;
    spent.headers = core::take_headers(ticket->call.context);
    spent.body = std::move(ticket->call.body);
    parser.reuse(std::move(spent));
    spare_ticket = std::move(ticket);
  }
  ticket.reset();
  state = State::idle;
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
  const Context& ctx = ticket->call.context;
  if (ctx.deadline() <= now) {  // already too late: do not start work nobody will receive
    auto late = protocol::to_outcome(core::deadline_result(ctx.call_id(), ctx.deadline()), ticket->head_only);
    conn.answer(std::move(late), false);
    return;
  }
  if (stuck_handlers->load() >= settings.max_stuck_handlers) {
    refuse_and_exit(conn, ctx.call_id());
    return;
  }
  ticket->connection = &conn;
  ticket->socket = conn.socket;
  ticket->stuck = stuck_handlers;
  ticket->completions = completions;
  ticket->call_protocol = protocol;
  ticket->handler = &handler;
  ticket->keep_alive = conn.keep_alive;
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

void CallTicket::run(std::shared_ptr<HandlerPool::Job>& self) noexcept {
  if (!call.log_frame.empty()) write_log_frame(call.log_frame);
  core::CallResult result = core::run_handler(*handler, call.context, call.body);
  flush_handler_output();
  result = core::result_at(std::move(result), call.context, std::chrono::system_clock::now());
  if (answered.exchange(true)) {  // the loop answered 504 or dropped the connection
    stuck->fetch_sub(1);
    return;
  }
  if (!result.log_line.empty()) write_stderr_line(call_protocol->log_line(result.log_line));
  // Shutdown is not known here; the loop closes after this response if it is shutting down.
  EncodedAnswer answer = call_protocol->encode(protocol::to_outcome(std::move(result), head_only), !keep_alive);
  Completion done;
  done.connection = connection;
  // Before the answer goes out: once it has, the client may send its next call at once. What is
  // left (a write that does not block, the report to the loop) is short.
  HandlerPool::current_job_finishing();
  {
    std::lock_guard lock(socket->mutex);
    done.write_failed = !socket->open || !write_without_blocking(socket->fd, answer, done.written);
  }
  if (!done.write_failed && done.written < answer.size()) done.unsent = std::move(answer);
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

void Server::Impl::deliver_completions() {
  // Moved out while it is walked: a report handled here must not be able to clear it.
  std::vector<Completion> batch = std::move(delivered);
  completions->take_all(batch);
  for (auto& done : batch) {
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
  if (grace_timer_initialised && !uv_is_closing(reinterpret_cast<uv_handle_t*>(&grace_timer))) {
    uv_close(reinterpret_cast<uv_handle_t*>(&grace_timer), nullptr);
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
  int rc = uv_async_init(&loop, &completed,
                         [](uv_async_t* async) { static_cast<Impl*>(async->data)->deliver_completions(); });
  if (rc != 0) return uv_problem("cannot create the handler threads' wake-up", rc);
  completed_initialised = true;
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
