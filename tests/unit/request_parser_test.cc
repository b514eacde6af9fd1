// The transport's request reader (src/http/transport/request_parser.h): requests split
// anywhere, pipelined, chunked, and each limit refused with its status.
#include "http/transport/request_parser.h"

#include <string>
#include <vector>

#include "support/catch.h"

using paysandbox::ParsedRequest;
using paysandbox::RequestParser;
using ParseOutcome = RequestParser::Outcome;

namespace {

struct Fed {
  std::vector<ParsedRequest> requests;
  ParseOutcome last = ParseOutcome::kNeedMore;
};

// Feeds `bytes` in pieces of `step` bytes, taking every complete request.
Fed feed_all(RequestParser& parser, const std::string& bytes, std::size_t step) {
  Fed fed;
  std::string pending;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    pending += bytes.substr(at, step);
    for (;;) {
      std::size_t used = 0;
      fed.last = parser.feed(pending.data(), pending.size(), used);
      pending.erase(0, used);
      if (fed.last == ParseOutcome::kRequest) {
        fed.requests.push_back(parser.take());
        continue;
      }
      break;
    }
    if (fed.last == ParseOutcome::kError) break;
  }
  return fed;
}

RequestParser::Limits small_limits() {
  RequestParser::Limits limits;
  limits.max_target = 64;
  limits.max_head = 256;
  limits.max_body = 32;
  return limits;
}

}  // namespace

TEST_CASE("a request split at every byte reads the same as one piece", "[unit][transport]") {
  const std::string bytes =
      "POST /api/customers?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
      "Content-Length: 18\r\n\r\n{\"reference_id\":1}";
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, bytes.size()}) {
    INFO("step " << step);
    RequestParser parser(RequestParser::Limits{});
    Fed fed = feed_all(parser, bytes, step);
    REQUIRE(fed.requests.size() == 1);
    const ParsedRequest& request = fed.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.target == "/api/customers?x=1");
    CHECK(request.body == "{\"reference_id\":1}");
    CHECK(request.keep_alive);
    REQUIRE(request.headers.size() == 3);
    CHECK(request.headers[1].first == "Content-Type");
    CHECK(request.headers[1].second == "application/json");
    CHECK_FALSE(parser.in_request());
  }
}

TEST_CASE("pipelined requests come out one at a time, in order", "[unit][transport]") {
  RequestParser parser(RequestParser::Limits{});
  const std::string bytes =
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n"
      "DELETE /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  Fed fed = feed_all(parser, bytes, bytes.size());
  REQUIRE(fed.requests.size() == 3);
  CHECK(fed.requests[0].target == "/a");
  CHECK(fed.requests[1].method == "GET");  // a HEAD is answered as a GET
  CHECK(fed.requests[1].head_only);
  CHECK(fed.requests[2].method == "DELETE");
  CHECK_FALSE(fed.requests[2].keep_alive);
}

TEST_CASE("chunked bodies are joined; HTTP/1.0 closes unless asked", "[unit][transport]") {
  RequestParser parser(RequestParser::Limits{});
  Fed fed = feed_all(parser,
                     "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                     "GET /y HTTP/1.0\r\n\r\n",
                     5);
  REQUIRE(fed.requests.size() == 2);
  CHECK(fed.requests[0].body == "abcde");
  CHECK(fed.requests[1].http10);
  CHECK_FALSE(fed.requests[1].keep_alive);
}

TEST_CASE("a Content-Length repeated with the same value is read once", "[unit][transport]") {
  RequestParser parser(RequestParser::Limits{});
  Fed fed = feed_all(parser,
                     "POST /x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"
                     "POST /y HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                     3);
  REQUIRE(fed.requests.size() == 2);
  CHECK(fed.requests[0].body == "ok");
  CHECK(fed.requests[1].target == "/y");
  CHECK(fed.requests[1].body.empty());
}

TEST_CASE("Expect: 100-continue is reported until the body starts", "[unit][transport]") {
  RequestParser parser(RequestParser::Limits{});
  const std::string head = "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  std::size_t used = 0;
  CHECK(parser.feed(head.data(), head.size(), used) == ParseOutcome::kNeedMore);
  CHECK(parser.wants_continue());
  CHECK(parser.in_request());
  parser.continue_sent();
  CHECK_FALSE(parser.wants_continue());
  CHECK(parser.feed("ok", 2, used) == ParseOutcome::kRequest);
  CHECK(parser.take().body == "ok");
}

TEST_CASE("each limit is refused with its own status", "[unit][transport]") {
  struct Case {
    std::string bytes;
    int status;
  };
  const std::vector<Case> cases = {
      {"GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", 414},
      {"GET / HTTP/1.1\r\nX-Big: " + std::string(300, 'b') + "\r\n\r\n", 431},
      // Refused from the Content-Length, before any of the body arrives.
      {"POST / HTTP/1.1\r\nContent-Length: 33\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n" + std::string(33, 'c'), 413},
      {"GARBAGE\r\n\r\n", 400},
      {"GET / HTTP/9.9\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
  };
  for (const Case& c : cases) {
    INFO(c.bytes.substr(0, 60));
    RequestParser parser(small_limits());
    Fed fed = feed_all(parser, c.bytes, 1);
    CHECK(fed.requests.empty());
    CHECK(fed.last == ParseOutcome::kError);
    CHECK(parser.failure_status() == c.status);
    CHECK_FALSE(parser.failure_message().empty());
  }
}

TEST_CASE("a connection that ends inside a request is an error, between requests not",
          "[unit][transport]") {
  RequestParser idle(RequestParser::Limits{});
  CHECK(idle.finish() == ParseOutcome::kNeedMore);

  RequestParser cut(RequestParser::Limits{});
  std::size_t used = 0;
  const std::string half = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc";
  CHECK(cut.feed(half.data(), half.size(), used) == ParseOutcome::kNeedMore);
  CHECK(cut.in_request());
  CHECK(cut.finish() == ParseOutcome::kError);
  CHECK(cut.failure_status() == 400);
}
