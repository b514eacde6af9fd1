#include "http/request_parser.h"

#include <llhttp.h>
#include <strings.h>

#include <cstdint>

namespace paysandbox {

struct RequestParser::State {
  llhttp_t parser{};
};

// The llhttp callbacks, each forwarding to the RequestParser in parser->data.
struct RequestParser::Callbacks {
  static RequestParser& self(llhttp_t* parser) {
    return *static_cast<RequestParser*>(parser->data);
  }

  static int on_message_begin(llhttp_t* parser) {
    RequestParser& p = self(parser);
    p.current_ = ParsedRequest{};
    p.head_bytes_ = 0;
    p.in_request_ = true;
    p.in_value_ = false;
    p.length_seen_ = false;
    p.length_value_.clear();
    return 0;
  }

  static int on_url(llhttp_t* parser, const char* at, std::size_t length) {
    RequestParser& p = self(parser);
    if (p.current_.target.size() + length > p.limits_.max_target)
      return p.fail(Failure::kTargetTooLong);
    p.head_bytes_ += length;
    p.current_.target.append(at, length);
    return 0;
  }

  static int count_head(RequestParser& p, std::size_t length) {
    p.head_bytes_ += length;
    return p.head_bytes_ > p.limits_.max_head ? p.fail(Failure::kHeadTooLarge) : 0;
  }

  static int on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
    RequestParser& p = self(parser);
    if (count_head(p, length) != 0) return -1;
    if (p.in_value_ || p.current_.headers.empty()) p.current_.headers.emplace_back();
    p.in_value_ = false;
    p.current_.headers.back().first.append(at, length);
    return 0;
  }

  static int on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
    RequestParser& p = self(parser);
    if (count_head(p, length) != 0) return -1;
    p.in_value_ = true;
    p.current_.headers.back().second.append(at, length);
    return 0;
  }

  static bool is_content_length(const std::string& name) {
    return strcasecmp(name.c_str(), "Content-Length") == 0;
  }

  // A Content-Length repeated with the same value (what some clients send,
  // cpp-httplib's among them) is one Content-Length; llhttp refuses any
  // repeat, so its flag is cleared before the repeated value is read, and a
  // different value is refused here.
  static int on_header_field_complete(llhttp_t* parser) {
    RequestParser& p = self(parser);
    if (p.length_seen_ && is_content_length(p.current_.headers.back().first)) {
      parser->flags &= static_cast<std::uint16_t>(~F_CONTENT_LENGTH);
      parser->content_length = 0;  // the repeat is read afresh, not appended
    }
    return 0;
  }

  static int on_header_value_complete(llhttp_t* parser) {
    RequestParser& p = self(parser);
    const auto& [name, value] = p.current_.headers.back();
    if (!is_content_length(name)) return 0;
    if (p.length_seen_ && value != p.length_value_) {
      p.reason_ = "conflicting Content-Length values";
      return p.fail(Failure::kMalformed);
    }
    p.length_seen_ = true;
    p.length_value_ = value;
    return 0;
  }

  static int on_headers_complete(llhttp_t* parser) {
    RequestParser& p = self(parser);
    const auto method = static_cast<llhttp_method_t>(llhttp_get_method(parser));
    p.current_.head_only = method == HTTP_HEAD;
    p.current_.method = p.current_.head_only ? "GET" : llhttp_method_name(method);
    p.current_.http10 = llhttp_get_http_major(parser) == 1 && llhttp_get_http_minor(parser) == 0;
    const bool has_length = (parser->flags & F_CONTENT_LENGTH) != 0;
    if (has_length && parser->content_length > p.limits_.max_body)
      return p.fail(Failure::kBodyTooLarge);
    const bool has_body =
        (has_length && parser->content_length > 0) || (parser->flags & F_CHUNKED) != 0;
    if (has_body && !p.current_.http10) {
      for (const auto& [name, value] : p.current_.headers) {
        if (strcasecmp(name.c_str(), "Expect") == 0 &&
            strcasecmp(value.c_str(), "100-continue") == 0)
          p.wants_continue_ = true;
      }
    }
    if (has_length) p.current_.body.reserve(static_cast<std::size_t>(parser->content_length));
    return 0;
  }

  static int on_body(llhttp_t* parser, const char* at, std::size_t length) {
    RequestParser& p = self(parser);
    p.wants_continue_ = false;  // the client did not wait
    if (p.current_.body.size() + length > p.limits_.max_body) return p.fail(Failure::kBodyTooLarge);
    p.current_.body.append(at, length);
    return 0;
  }

  static int on_message_complete(llhttp_t* parser) {
    RequestParser& p = self(parser);
    p.current_.keep_alive = llhttp_should_keep_alive(parser) != 0;
    p.complete_ = true;
    p.in_request_ = false;
    p.wants_continue_ = false;
    return HPE_PAUSED;  // one request at a time
  }

  static const llhttp_settings_t& settings() {
    static const llhttp_settings_t table = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_message_begin = on_message_begin;
      s.on_url = on_url;
      s.on_header_field = on_header_field;
      s.on_header_value = on_header_value;
      s.on_header_field_complete = on_header_field_complete;
      s.on_header_value_complete = on_header_value_complete;
      s.on_headers_complete = on_headers_complete;
      s.on_body = on_body;
      s.on_message_complete = on_message_complete;
      return s;
    }();
    return table;
  }
};

RequestParser::RequestParser(Limits limits) : limits_(limits), state_(std::make_unique<State>()) {
  llhttp_init(&state_->parser, HTTP_REQUEST, &Callbacks::settings());
  state_->parser.data = this;
}

RequestParser::~RequestParser() = default;

int RequestParser::fail(Failure failure) {
  if (failure_ == Failure::kNone) failure_ = failure;
  return -1;
}

RequestParser::Outcome RequestParser::feed(const char* data, std::size_t size,
                                           std::size_t& consumed) {
  consumed = 0;
  if (failure_ != Failure::kNone) return Outcome::kError;
  if (complete_) return Outcome::kRequest;  // take() first
  llhttp_t* parser = &state_->parser;
  const llhttp_errno_t error = llhttp_execute(parser, data, size);
  if (error == HPE_OK) {
    consumed = size;
    return Outcome::kNeedMore;
  }
  if (error == HPE_PAUSED && complete_) {
    consumed = static_cast<std::size_t>(llhttp_get_error_pos(parser) - data);
    return Outcome::kRequest;
  }
  if (failure_ == Failure::kNone) {
    failure_ = Failure::kMalformed;
    const char* reason = llhttp_get_error_reason(parser);
    reason_ = reason != nullptr ? reason : "";
  }
  return Outcome::kError;
}

ParsedRequest RequestParser::take() {
  ParsedRequest out = std::move(current_);
  current_ = ParsedRequest{};
  if (complete_) {
    complete_ = false;
    llhttp_resume(&state_->parser);
  }
  return out;
}

RequestParser::Outcome RequestParser::finish() {
  if (failure_ != Failure::kNone) return Outcome::kError;
  if (complete_) return Outcome::kRequest;
  if (!in_request_) return Outcome::kNeedMore;
  failure_ = Failure::kMalformed;
  reason_ = "the connection ended inside a request";
  return Outcome::kError;
}

int RequestParser::failure_status() const {
  switch (failure_) {
    case Failure::kBodyTooLarge:
      return 413;
    case Failure::kTargetTooLong:
      return 414;
    case Failure::kHeadTooLarge:
      return 431;
    case Failure::kMalformed:
    case Failure::kNone:
      break;
  }
  return 400;
}

std::string RequestParser::failure_message() const {
  switch (failure_) {
    case Failure::kBodyTooLarge:
      return "The request body is over the size limit (" + std::to_string(limits_.max_body >> 10) +
             " KiB on this server).";
    case Failure::kTargetTooLong:
      return "The request target is over " + std::to_string(limits_.max_target >> 10) + " KiB.";
    case Failure::kHeadTooLarge:
      return "The request line and headers are over " + std::to_string(limits_.max_head >> 10) +
             " KiB.";
    case Failure::kMalformed:
    case Failure::kNone:
      break;
  }
  return "The request could not be read as HTTP/1.1" +
         (reason_.empty() ? std::string(".") : ": " + reason_ + ".");
}

}  // namespace paysandbox
