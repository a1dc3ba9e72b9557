// Tells the event loop that a handler's thread has finished a call.
#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/call_protocol.hpp"
#include "runtime/log.hpp"

namespace fdk::runtime {

struct Connection;
struct CallTicket;

/// Why a handler's thread gives a lent connection back to the loop (see Connection::lend in
/// server.cpp), and so what the loop does next.
enum class LentEnd {
  answered,       ///< it answered a call that ends the connection, or could not send all of it
  idle,           ///< no request came for a while: the loop waits for the next one
  recalled,       ///< the function has too many connections to lend any: the loop serves this one
  peer_finished,  ///< the caller hung up
  malformed,      ///< the request could not be parsed: the loop answers it and closes
  refused,        ///< the request was refused (`refusal`): the loop answers it
  call_for_loop,  ///< an accepted call the loop must start itself (`call`): too late, or the stuck-handler bound
  shutting_down,  ///< the server is shutting down: the loop closes the connection
  failed,         ///< the thread ran out of memory (`failure`): the loop answers 502 and closes
};

/// What a handler's thread reports after it has written (or tried to write) the response.
struct Completion {
  /// The call's connection. It stays open until the loop has taken this report: the handler's
  /// thread reports only a call it answered, and the loop keeps such a call's connection.
  Connection* connection = nullptr;
  /// The answer, when the socket would not take all of it without blocking: the loop sends
  /// the rest, from byte `written` on.
  std::optional<EncodedAnswer> unsent;
  std::size_t written = 0;
  /// The socket refused the response (the agent hung up): the loop closes the connection.
  bool write_failed = false;
  /// Set when the report gives a lent connection back to the loop, with what goes with it.
  std::optional<LentEnd> lent_end;
  std::optional<protocol::Outcome> refusal;
  std::shared_ptr<CallTicket> call;
  std::string failure;
};

/// Thread-safe mailbox plus a uv_async_t wake-up. Shared (shared_ptr) with jobs, so a handler
/// that finishes after the loop has shut down drops its report instead of touching freed memory.
///
/// A report wakes the loop only when the loop needs it. On a keep-alive connection the caller's
/// next request wakes the loop anyway, and the loop takes the reports then (take_all before it
/// reads the request): one wake-up per call instead of two. The loop asks for a prompt report
/// (`want_report` for one call, `want_all_reports` for all) whenever it waits for one: bytes or a hang-up
/// arrived on a connection whose call runs, a close was asked for, a shutdown, calls queued for
/// a free slot. Both sides decide under the mutex, so a report is never left unheard.
class CompletionQueue {
 public:
  explicit CompletionQueue(uv_async_t* wakeup) : wakeup_(wakeup) {}

  /// Called on a handler's thread. `urgent`: the loop must act on this report at once (the
  /// answer is not all written, or the connection closes after it). `wanted` is the call's
  /// own request for a prompt report, set by the loop (want_report()); it is read under the
  /// mutex, so it must stay alive until this returns (the loop keeps the call until it has
  /// taken the report).
  void push(Completion completion, bool urgent, const bool& wanted) {
    // Under the lock: close() must not be able to slip between the check and the send.
    std::lock_guard lock(mutex_);
    if (!wakeup_) return;
    pending_.push_back(std::move(completion));
    if (urgent || wanted || all_wanted_) wake();
  }

  /// Called on the loop thread for a call that runs: from now on its report wakes the loop.
  /// Returns true when reports are already waiting, so the caller can take them at once.
  bool want_report(bool& wanted) {
    std::lock_guard lock(mutex_);
    wanted = true;
    return !pending_.empty();
  }

  /// Called on the loop thread: every report wakes the loop (a shutdown, a concurrency bound).
  /// Reports already waiting are woken for too, so the loop takes them in a callback of its own.
  void want_all_reports() {
    std::lock_guard lock(mutex_);
    all_wanted_ = true;
    if (wakeup_ && !pending_.empty()) wake();
  }

  /// Moves the pending completions into `taken` (emptied first). The loop passes the same
  /// vector each time, so the two vectors keep their capacity and a call costs no allocation.
  void take_all(std::vector<Completion>& taken) {
    taken.clear();
    std::lock_guard lock(mutex_);
    taken.swap(pending_);
  }

  /// Called on the loop thread before the async handle is closed.
  void close() {
    std::lock_guard lock(mutex_);
    wakeup_ = nullptr;
    pending_.clear();
  }

 private:
  void wake() {
    int rc = uv_async_send(wakeup_);
    if (rc != 0) {  // the loop will not hear of this call before its deadline timer fires
      write_stderr_line(std::string("fdk-cpp: cannot wake the event loop after a call: ") + uv_strerror(rc));
    }
  }

  std::mutex mutex_;
  uv_async_t* wakeup_;
  std::vector<Completion> pending_;
  bool all_wanted_ = false;
};

}  // namespace fdk::runtime
