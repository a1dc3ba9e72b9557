/* The physical-limit reference for the fdk-cpp benchmarks.
 *
 * A minimal hand-written HTTP/1.1 server on one thread with epoll. With FN_LISTENER it follows
 * the FDK's Fn socket contract (FN_LISTENER=unix:<dir>/lsnr.sock; bind and listen on
 * <dir>/phonylsnr.sock, chmod 0666, relative symlink lsnr.sock -> phonylsnr.sock) and answers
 * with Fn's headers. With PORT instead it serves TCP on 127.0.0.1:PORT (TCP_NODELAY, as the FDK
 * in http mode) and answers as an HTTP host's function does: Content-Type, Date, Content-Length.
 * It reads
 * each request just far enough to know where it ends (end of headers, then a Content-Length
 * or chunked body, which it skips) and answers a fixed hello JSON response with the same kind
 * of headers the FDK sends. No handler thread, no allocation per call, no JSON: whatever the
 * FDK spends above this is its own overhead.
 *
 * Not a product: no deadline handling, no error answers (bad input closes the connection).
 * SIGTERM/SIGINT remove both socket files (Fn) and exit 0.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define IN_CAPACITY (64 * 1024)
#define MAX_EVENTS 64

static const char kBody[] = "{\"message\":\"Hello Bench\"}";

enum State { HEADERS, BODY_FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_TRAILERS };

struct Conn {
  int fd;
  enum State state;
  unsigned long long remaining; /* body or chunk bytes (plus CRLF) still to skip */
  int close_after;
  size_t len; /* bytes held in `in` */
  char in[IN_CAPACITY];
  size_t out_len, out_sent;
  char out[512];
};

static char response[512];
static size_t response_len;
static char response_close[512];
static size_t response_close_len;

/* Fn's answer: the caller's status and headers travel as Fn-Http-* headers. */
static const char* const kFnFormat =
      "HTTP/1.1 200 OK\r\n"
      "Fn-Http-Status: 200\r\n"
      "Content-Type: application/json\r\n"
      "Fn-Fdk-Version: fdk-cpp/reference\r\n"
      "Fn-Fdk-Runtime: c/epoll-reference\r\n"
      "Content-Length: %zu\r\n"
      "%s"
      "\r\n"
      "%s";

/* An HTTP host's answer: the headers the FDK sends in http mode. The date is taken once: a
 * reference may skip work the FDK cannot. */
static const char* const kHttpFormat =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Date: %s\r\n"
    "Content-Length: %zu\r\n"
    "%s"
    "\r\n"
    "%s";

static void build_responses(int tcp) {
  if (tcp) {
    char date[64];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
    response_len = (size_t)snprintf(response, sizeof response, kHttpFormat, date, sizeof kBody - 1, "", kBody);
    response_close_len = (size_t)snprintf(response_close, sizeof response_close, kHttpFormat, date,
                                          sizeof kBody - 1, "Connection: close\r\n", kBody);
    return;
  }
  const char* fmt = kFnFormat;
  response_len = (size_t)snprintf(response, sizeof response, fmt, sizeof kBody - 1, "", kBody);
  response_close_len =
      (size_t)snprintf(response_close, sizeof response_close, fmt, sizeof kBody - 1, "Connection: close\r\n", kBody);
}

/* Case-insensitive search for `name:` at the start of a header line; returns the value. */
static const char* header_value(const char* headers, const char* end, const char* name) {
  size_t name_len = strlen(name);
  const char* line = headers;
  while (line < end) {
    const char* eol = memmem(line, (size_t)(end - line), "\r\n", 2);
    if (!eol) eol = end;
    if ((size_t)(eol - line) > name_len && line[name_len] == ':' && strncasecmp(line, name, name_len) == 0) {
      const char* value = line + name_len + 1;
      while (value < eol && (*value == ' ' || *value == '\t')) ++value;
      return value;
    }
    line = eol + 2;
  }
  return NULL;
}

static int starts_with_nocase(const char* text, const char* end, const char* word) {
  size_t n = strlen(word);
  return (size_t)(end - text) >= n && strncasecmp(text, word, n) == 0;
}

/* Called with a complete request: queue the answer. */
static void queue_response(struct Conn* c) {
  const char* bytes = c->close_after ? response_close : response;
  size_t n = c->close_after ? response_close_len : response_len;
  if (c->out_len - c->out_sent + n > sizeof c->out) return; /* cannot happen: one request at a time */
  if (c->out_sent == c->out_len) c->out_sent = c->out_len = 0;
  memcpy(c->out + c->out_len, bytes, n);
  c->out_len += n;
  c->state = HEADERS;
}

/* Consumes as much of c->in as possible. Returns -1 on malformed input. Stops after each
 * complete request so the answer is written before the next one is read (like the FDK). */
static int parse(struct Conn* c, size_t* pos_io, int* completed) {
  size_t pos = *pos_io;
  *completed = 0;
  while (pos < c->len && !*completed) {
    char* data = c->in + pos;
    size_t avail = c->len - pos;
    switch (c->state) {
      case HEADERS: {
        char* end = memmem(data, avail, "\r\n\r\n", 4);
        if (!end) goto need_more;
        const char* header_end = end + 2;
        const char* first_eol = memmem(data, avail, "\r\n", 2);
        const char* headers = first_eol + 2;
        const char* te = header_value(headers, header_end, "Transfer-Encoding");
        const char* cl = header_value(headers, header_end, "Content-Length");
        const char* conn = header_value(headers, header_end, "Connection");
        c->close_after = conn && starts_with_nocase(conn, header_end, "close");
        pos += (size_t)(end + 4 - data);
        if (te && starts_with_nocase(te, header_end, "chunked")) {
          c->state = CHUNK_SIZE;
        } else if (cl) {
          c->remaining = strtoull(cl, NULL, 10);
          c->state = BODY_FIXED;
          if (c->remaining == 0) {
            queue_response(c);
            *completed = 1;
          }
        } else {
          queue_response(c);
          *completed = 1;
        }
        break;
      }
      case BODY_FIXED:
      case CHUNK_DATA: {
        size_t skip = avail < c->remaining ? avail : (size_t)c->remaining;
        pos += skip;
        c->remaining -= skip;
        if (c->remaining == 0) {
          if (c->state == BODY_FIXED) {
            queue_response(c);
            *completed = 1;
          } else {
            c->state = CHUNK_SIZE;
          }
        }
        break;
      }
      case CHUNK_SIZE: {
        char* eol = memmem(data, avail, "\r\n", 2);
        if (!eol) goto need_more;
        if (!isxdigit((unsigned char)data[0])) return -1;
        unsigned long long size = strtoull(data, NULL, 16);
        pos += (size_t)(eol + 2 - data);
        if (size == 0) {
          c->state = CHUNK_TRAILERS;
        } else {
          c->remaining = size + 2; /* data and its CRLF */
          c->state = CHUNK_DATA;
        }
        break;
      }
      case CHUNK_TRAILERS: {
        char* eol = memmem(data, avail, "\r\n", 2);
        if (!eol) goto need_more;
        pos += (size_t)(eol + 2 - data);
        if (eol == data) { /* the empty line ends the message */
          queue_response(c);
          *completed = 1;
        }
        break;
      }
    }
  }
need_more:
  *pos_io = pos;
  return 0;
}

static void close_conn(int ep, struct Conn* c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c);
}

/* Returns 1 when all queued output went out, 0 when the socket is full, -1 on error. */
static int flush_out(struct Conn* c) {
  while (c->out_sent < c->out_len) {
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c->out_sent += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return 0;
    } else {
      return -1;
    }
  }
  return 1;
}

/* Parses what is buffered and answers; returns -1 when the connection must close. */
static int serve(int ep, struct Conn* c) {
  size_t pos = 0;
  for (;;) {
    int completed = 0;
    if (parse(c, &pos, &completed) != 0) return -1;
    if (!completed) break;
    int flushed = flush_out(c);
    if (flushed < 0) return -1;
    if (flushed == 0) { /* wait for room before reading on */
      struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
      epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
      break;
    }
    if (c->close_after) return -1;
  }
  /* Keep the unconsumed tail (a partial request) at the front of the buffer. */
  if (pos > 0) {
    memmove(c->in, c->in + pos, c->len - pos);
    c->len -= pos;
  }
  if (c->len == sizeof c->in) return -1; /* headers too large */
  return 0;
}

static void on_readable(int ep, struct Conn* c) {
  for (;;) {
    ssize_t n = recv(c->fd, c->in + c->len, sizeof c->in - c->len, 0);
    if (n > 0) {
      c->len += (size_t)n;
      if (serve(ep, c) != 0) {
        close_conn(ep, c);
        return;
      }
      if (c->out_sent < c->out_len) return; /* waiting for EPOLLOUT */
      if ((size_t)n < sizeof c->in) return; /* drained (level-triggered: epoll tells us of more) */
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      close_conn(ep, c);
      return;
    }
  }
}

static void on_writable(int ep, struct Conn* c) {
  int flushed = flush_out(c);
  if (flushed < 0 || (flushed == 1 && c->close_after)) {
    close_conn(ep, c);
    return;
  }
  if (flushed == 1) {
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    if (serve(ep, c) != 0) close_conn(ep, c);
  }
}

static char socket_path[sizeof(((struct sockaddr_un*)0)->sun_path)];
static char phony_path[sizeof socket_path];

static int fail(const char* message) {
  fprintf(stderr, "epoll_reference: %s\n", message);
  return 2;
}

/* The listening TCP socket on 127.0.0.1:port, or -1 after saying why. */
static int listen_tcp(const char* port_text) {
  char* end = NULL;
  long port = strtol(port_text, &end, 10);
  if (*port_text == '\0' || *end != '\0' || port < 1 || port > 65535) {
    fail("PORT must be a port number");
    return -1;
  }
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(lfd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(lfd, 1024) != 0) {
    perror("epoll_reference: bind/listen");
    return -1;
  }
  return lfd;
}

/* The listening Unix socket of Fn's contract, or -1 after saying why. */
static int listen_fn(const char* listener) {
  if (!listener || strncmp(listener, "unix:", 5) != 0) {
    fail("set FN_LISTENER=unix:<path> (Fn) or PORT=<port> (TCP on 127.0.0.1)");
    return -1;
  }
  const char* path = listener + 5;
  const char* slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
  if (strlen(path) >= sizeof socket_path || dir_len + strlen("phonylsnr.sock") >= sizeof phony_path) {
    fail("socket path too long");
    return -1;
  }
  strcpy(socket_path, path);
  memcpy(phony_path, path, dir_len);
  strcpy(phony_path + dir_len, "phonylsnr.sock");
  unlink(socket_path);
  unlink(phony_path);

  int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, phony_path);
  if (lfd < 0 || bind(lfd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(lfd, 128) != 0) {
    perror("epoll_reference: bind/listen");
    return -1;
  }
  if (chmod(phony_path, 0666) != 0 || symlink("phonylsnr.sock", socket_path) != 0) {
    perror("epoll_reference: chmod/symlink");
    return -1;
  }
  return lfd;
}

int main(void) {
  const char* port = getenv("PORT");
  int tcp = port != NULL && getenv("FN_LISTENER") == NULL;
  build_responses(tcp);
  int lfd = tcp ? listen_tcp(port) : listen_fn(getenv("FN_LISTENER"));
  if (lfd < 0) return 2;

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  signal(SIGPIPE, SIG_IGN);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  static int signal_marker;
  ev.data.ptr = &signal_marker;
  epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

  int one_flag = 1;
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < n; ++i) {
      void* ptr = events[i].data.ptr;
      if (ptr == &signal_marker) {
        if (!tcp) {
          unlink(socket_path);
          unlink(phony_path);
        }
        return 0;
      }
      if (ptr == NULL) {
        int cfd;
        while ((cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          struct Conn* c = malloc(sizeof *c);
          if (!c) {
            close(cfd);
            continue;
          }
          if (tcp) setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one_flag, sizeof one_flag);
          c->fd = cfd;
          c->state = HEADERS;
          c->remaining = 0;
          c->close_after = 0;
          c->len = c->out_len = c->out_sent = 0;
          struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &cev);
        }
        continue;
      }
      struct Conn* c = ptr;
      if (events[i].events & EPOLLOUT) {
        on_writable(ep, c);
      } else {
        on_readable(ep, c);
      }
    }
  }
  return 1;
}
