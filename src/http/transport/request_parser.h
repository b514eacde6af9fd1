#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace paysandbox {

// One HTTP/1.1 request as it came off a connection.
struct ParsedRequest {
  std::string method;  // HEAD is reported as GET, with head_only set
  std::string target;  // the request target, as sent ("/a?b=c")
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // de-chunked
  bool keep_alive = true;
  bool head_only = false;  // a HEAD: answer as GET, without the body
  bool http10 = false;
};

// Reads requests from a connection's bytes with llhttp, one at a time:
// parsing stops after each complete request, so pipelined requests are
// answered in order, and a request's limits are checked as its bytes arrive
// (a body over the limit is refused from its Content-Length, before any of
// it is read).
class RequestParser {
 public:
  struct Limits {
    std::size_t max_target = std::size_t{8} * 1024;  // the request line's target
    std::size_t max_head = std::size_t{16} * 1024;   // target plus every header line
    std::size_t max_body = 1u << 20;
  };
  enum class Outcome {
    kNeedMore,  // every byte given was consumed; no request is complete yet
    kRequest,   // a request is complete: take() it, then feed the rest
    kError,     // the bytes are not an acceptable request: failure() says why
  };
  enum class Failure { kNone, kMalformed, kTargetTooLong, kHeadTooLarge, kBodyTooLarge };

  explicit RequestParser(Limits limits);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses from `data`; `consumed` is how many bytes were used (less than
  // `size` only after kRequest, when the rest belongs to the next request).
  Outcome feed(const char* data, std::size_t size, std::size_t& consumed);
  // The request that kRequest announced; parsing resumes with the next feed.
  ParsedRequest take();
  // The peer finished sending: kError when it stopped inside a request.
  Outcome finish();

  Failure failure() const { return failure_; }
  // The status and message a refusal carries (400, 413, 414, 431).
  int failure_status() const;
  std::string failure_message() const;

  // Some of a request has arrived but not all of it.
  bool in_request() const { return in_request_; }
  // The headers asked for "100 Continue" and the body has not started; the
  // caller sends the interim answer once and calls continue_sent().
  bool wants_continue() const { return wants_continue_; }
  void continue_sent() { wants_continue_ = false; }

 private:
  struct Callbacks;
  friend struct Callbacks;

  int fail(Failure failure);

  Limits limits_;
  struct State;
  std::unique_ptr<State> state_;
  ParsedRequest current_;
  std::size_t head_bytes_ = 0;
  bool in_request_ = false;
  bool complete_ = false;
  bool wants_continue_ = false;
  bool in_value_ = false;     // the last header callback was a value
  bool length_seen_ = false;  // a Content-Length header was read
  std::string length_value_;
  Failure failure_ = Failure::kNone;
  std::string reason_;  // llhttp's reason for a malformed request
};

}  // namespace paysandbox
