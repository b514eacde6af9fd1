// GET /_sandbox/ui: the dashboard, and /hosted/assets/: the hosted page's
// script and styles. Both are static files compiled into the binary
// (src/http/ui/, embedded by CMake), so they work with no network and from
// any directory. The dashboard reads only the control and API routes.
#include <string>
#include <utility>
#include <vector>

#include "http/api/routes.h"

namespace paysandbox {

// Defined in the generated embedded_ui.cc: {file name, text} pairs.
std::vector<std::pair<std::string, std::string>> embedded_ui_files();

namespace {

std::string content_type_of(const std::string& name) {
  auto ends_with = [&name](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".js") || ends_with(".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return "text/plain; charset=utf-8";
}

// Serves the embedded file `name` if it starts with `prefix`; 404 otherwise.
Result<Reply> serve_file(const std::string& prefix, const std::string& name) {
  static const auto files = embedded_ui_files();
  if (name.rfind(prefix, 0) == 0)
    for (const auto& [file, text] : files)
      if (file == name) {
        Reply out = reply_raw(200, text, content_type_of(name));
        out.set_header("Cache-Control", "no-cache");
        out.set_header("X-Content-Type-Options", "nosniff");
        return out;
      }
  return not_found("No file '" + name + "' here.");
}

}  // namespace

void add_dashboard_routes(Router& router) {
  // The files are public; the data behind them is on the control routes,
  // which keep asking for X-Sandbox-Token when serve --control-token is set.
  RouteOptions open{Auth::kPublic, AccountScope::kNone};
  router.add("GET", "/_sandbox/ui", open,
             [](Call&) { return serve_file("dashboard", "dashboard.html"); });
  router.add("GET", "/_sandbox/ui/{}", open,
             [](Call& call) { return serve_file("dashboard", call.params[0]); });
  router.add("GET", "/hosted/assets/{}", open,
             [](Call& call) { return serve_file("hosted", call.params[0]); });
}

}  // namespace paysandbox
