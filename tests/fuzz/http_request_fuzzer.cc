// The HTTP layer end to end: the input is a raw HTTP/1.1 request, split the
// way a server reads one (request line, header lines up to a blank line, the
// rest as the body) and served through the same Router::handle path the
// socket adapter uses, percent-decoding of the target included.
#include <string>

#include "http/router.h"
#include "route_harness.h"

namespace {

std::string next_line(const std::string& text, std::size_t& pos) {
  auto end = text.find('\n', pos);
  if (end == std::string::npos) end = text.size();
  std::string line = text.substr(pos, end - pos);
  pos = end == text.size() ? end : end + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  const std::string request_line = next_line(raw, pos);
  auto space = request_line.find(' ');
  if (space == std::string::npos) return 0;
  const std::string method = request_line.substr(0, space);
  std::string target = request_line.substr(space + 1);
  auto version = target.rfind(" HTTP/");
  if (version != std::string::npos) target.resize(version);

  // Loading a scenario (delay rules up to 60 s) or long-polling events makes
  // later inputs sleep, which only slows the fuzzer; the scenario harness and
  // the tests cover those. Judged on the decoded target, as the router sees it.
  paysandbox::HttpRequest decoded;
  paysandbox::set_target(decoded, target);
  if (decoded.path.find("/_sandbox/scenarios") != std::string::npos) return 0;
  for (const auto& [name, value] : decoded.query)
    if (name == "wait_ms") return 0;

  fuzzing::Headers headers;
  while (pos < raw.size()) {
    std::string line = next_line(raw, pos);
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    headers.emplace_back(line.substr(0, colon), value);
  }
  fuzzing::harness().request(method, target, raw.substr(pos), std::move(headers));
  return 0;
}
