// Keeps SIGPIPE from killing the host process while we write to sockets that may be closed.
#pragma once

#include <signal.h>

namespace fdk::oci::http {

/// Blocks SIGPIPE in the calling thread for its lifetime and discards one raised meanwhile:
/// a write to a peer that has gone away must fail with an error, not kill the host process.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigpending(&pending_before_);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&pending_before_, SIGPIPE)) {
      const timespec zero{0, 0};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{}, old_{}, pending_before_{};
};

}  // namespace fdk::oci::http
