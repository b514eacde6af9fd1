#include <string>
#include <utility>
#include <vector>

#include "http/api/routes.h"

namespace paysandbox {

// The text of openapi/payment-sandbox.json, compiled in by CMake
// (cmake/embed_files.cmake), so the binary serves the document it was
// built with from any directory.
std::vector<std::pair<std::string, std::string>> embedded_openapi_files();

void add_openapi_route(Router& router) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  // Served byte for byte as committed: what the linter and the contract run
  // checked is exactly what a client downloads.
  router.add("GET", "/_sandbox/openapi.json", control, [](Call&) {
    static const std::string document = embedded_openapi_files().front().second;
    return reply_raw(200, document);
  });
  // The router's own table: every route the server answers, so a tool (or
  // the test that holds the document to the server) can compare it with the
  // document. Patterns write a path parameter as {}.
  router.add("GET", "/_sandbox/routes", control, [&router](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& [method, pattern] : router.table())
      out.push_back({{"method", method}, {"path", pattern}});
    return reply(200, out);
  });
}

}  // namespace paysandbox
