// docs/architecture.md#layers: dependencies point one way, main -> sandbox ->
// http/scenario/webhooks -> service -> store -> core (client/, the outbound
// HTTP client, for webhooks and sandbox.cc), and each third-party
// library lives in one folder. This reads the #include lines of every source
// file and fails naming the file and the include that breaks the rule. The
// folders are the layers: http/transport/ (sockets), http/api/ (routes and
// their readers) and http/'s own files (the adapter that joins them) count
// as three.
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "support/catch.h"

namespace {

namespace fs = std::filesystem;

struct Include {
  std::string file;  // relative to src/
  std::string target;
};

std::vector<Include> includes_under(const fs::path& src) {
  std::vector<Include> out;
  const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    std::ifstream in(entry.path());
    std::string line;
    std::smatch match;
    while (std::getline(in, line))
      if (std::regex_search(line, match, include_line))
        out.push_back({fs::relative(entry.path(), src).string(), match[1]});
  }
  return out;
}

// http/'s subfolders that are layers of their own.
const std::vector<std::string> kHttpLayers = {"http/transport", "http/api"};

// The folder (layer) a path under src/ belongs to: "core", "http/api",
// "http" (http/'s own files), ..., or "" for a path in no folder.
std::string layer_of(const std::string& path) {
  for (const auto& layer : kHttpLayers)
    if (path.rfind(layer + "/", 0) == 0) return layer;
  auto slash = path.find('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The layer a src/ file belongs to, or the file name for the top-level
// sandbox.cc and main.cc.
std::string folder_of(const std::string& file) {
  if (file.rfind("include/", 0) == 0) return "include";
  const std::string layer = layer_of(file);
  return layer.empty() ? file : layer;
}

// Our own folders each folder may include.
const std::map<std::string, std::set<std::string>> kAllowedFolders = {
    {"core", {"core"}},
    {"store", {"store", "core"}},
    {"wire", {"wire", "core"}},
    {"service", {"service", "store", "wire", "core"}},
    // The outbound HTTP client (webhook deliveries, the health command).
    {"client", {"client", "core"}},
    {"webhooks", {"webhooks", "client", "service", "store", "wire", "core"}},
    {"scenario", {"scenario", "webhooks", "service", "store", "wire", "core"}},
    // The socket server: the router and the error shape of http/ (the last
    // test names the exact headers), core.
    {"http/transport", {"http/transport", "http", "core"}},
    // The routes with their readers: no socket code.
    {"http/api", {"http/api", "http", "scenario", "webhooks", "service", "store", "wire", "core"}},
    // The adapter, router, request readers and journal, joining the two.
    {"http",
     {"http", "http/api", "http/transport", "scenario", "webhooks", "service", "store", "wire",
      "core"}},
    {"include", {"paysandbox"}},
    {"sandbox.cc",
     {"paysandbox", "http", "http/transport", "client", "scenario", "webhooks", "service", "store",
      "wire", "core"}},
    // The composition root's parts (sandbox_impl.h) and its typed control
    // calls, which use the services directly.
    {"sandbox_impl.h",
     {"paysandbox", "http", "scenario", "webhooks", "service", "store", "wire", "core"}},
    {"sandbox_control.cc",
     {"paysandbox", "http", "scenario", "webhooks", "service", "store", "wire", "core"}},
    {"main.cc", {"paysandbox"}},
    // The typed client side of the public API (TestAccount, receivers): it
    // drives a Sandbox through its public calls only, like a consumer.
    {"embed", {"embed", "paysandbox"}},
    // Test-framework glue, each its own small library.
    {"glue", {"glue", "paysandbox"}},
};

// The one header of core the client side (embed, glue) may use: the locking
// annotations its mutexes carry, which need nothing but the standard library.
const std::set<std::string> kClientSideMay = {"core/thread_annotations.h"};

// Third-party headers and the folders allowed to use them.
const std::vector<std::pair<std::regex, std::set<std::string>>> kThirdParty = {
    // cpp-httplib serves the test receivers only; the server's outbound
    // client is src/client/http_client.cc, parsing answers with llhttp.
    {std::regex("^httplib\\.h$"), {"embed"}},
    {std::regex("^llhttp\\.h$"), {"http/transport", "client"}},
    {std::regex("^SQLiteCpp/"), {"store"}},
    {std::regex("^sqlite3\\.h$"), {"store"}},
    // Never "include": the installed headers carry no third-party header
    // but each glue header's own framework.
    {std::regex("^nlohmann/"), {"wire", "client", "http", "http/api", "http/transport", "embed"}},
    {std::regex("^CLI/"), {"main.cc"}},
    {std::regex("^catch2/"), {"glue", "include"}},
    {std::regex("^gtest/"), {"glue", "include"}},
    {std::regex("^openssl/"), {"http/api", "client", "webhooks", "embed"}},
};

const std::set<std::string> kOwnFolders = {
    "core", "store",          "wire",     "service", "client", "webhooks",  "scenario",
    "http", "http/transport", "http/api", "embed",   "glue",   "paysandbox"};

}  // namespace

TEST_CASE("every #include follows the layers' dependency direction", "[unit][layering]") {
  const fs::path src = fs::path(PAYSANDBOX_SOURCE_DIR) / "src";
  auto includes = includes_under(src);
  REQUIRE(includes.size() > 50);
  std::vector<std::string> violations;
  for (const auto& inc : includes) {
    const std::string from = folder_of(inc.file);
    const std::string target_folder = layer_of(inc.target);
    if (kOwnFolders.count(target_folder) != 0) {
      if ((from == "embed" || from == "glue") && kClientSideMay.count(inc.target) != 0) continue;
      auto allowed = kAllowedFolders.find(from);
      if (allowed == kAllowedFolders.end() || allowed->second.count(target_folder) == 0)
        violations.push_back(inc.file + " includes " + inc.target);
      continue;
    }
    for (const auto& [pattern, folders] : kThirdParty)
      if (std::regex_search(inc.target, pattern) && folders.count(from) == 0)
        violations.push_back(inc.file + " includes " + inc.target);
  }
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
}

namespace {

// Our own header a quoted include names, if it is one below the public API
// ("core/x.h" is src/core/x.h). The public headers ("paysandbox/x.h") are not
// followed: see the test's comment.
std::optional<fs::path> own_header(const fs::path& src, const std::string& target) {
  if (target.rfind("paysandbox/", 0) == 0) return std::nullopt;
  if (fs::is_regular_file(src / target)) return src / target;
  return std::nullopt;
}

// The chain of includes from `file` to the first nlohmann header its include
// closure reaches, following our own quoted includes ("a.cc -> b.h ->
// <nlohmann/json.hpp>"); empty when it reaches none.
std::string chain_to_nlohmann(const fs::path& src, const fs::path& file,
                              std::set<fs::path>& visited) {
  if (!visited.insert(file).second) return {};
  const std::regex include_line(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::ifstream in(file);
  std::string line;
  std::smatch match;
  const std::string name = fs::relative(file, src).string();
  while (std::getline(in, line)) {
    if (!std::regex_search(line, match, include_line)) continue;
    const std::string target = match[2];
    if (target.rfind("nlohmann/", 0) == 0) return name + " -> <" + target + ">";
    if (match[1] != "\"") continue;
    if (auto header = own_header(src, target)) {
      std::string rest = chain_to_nlohmann(src, *header, visited);
      if (!rest.empty()) return name + " -> " + rest;
    }
  }
  return {};
}

}  // namespace

// Issue 11: JSON is a wire concern. Below the HTTP adapter nothing may see
// nlohmann, not even through a header of wire/ that re-exports it (wire/json.h):
// these folders reach wire/ only through its nlohmann-free headers. wire/ and
// http/ use nlohmann freely, and so does embed/ (TestAccount's merchant
// calls read JSON answers) in its .cc files. The public headers are not
// followed here: the next test holds them to the standard library.
TEST_CASE("no file below the HTTP adapter reaches nlohmann through any chain of includes",
          "[unit][layering]") {
  const fs::path src = fs::path(PAYSANDBOX_SOURCE_DIR) / "src";
  std::vector<fs::path> files = {src / "sandbox.cc", src / "sandbox_control.cc",
                                 src / "sandbox_impl.h"};
  for (const char* folder : {"core", "store", "service", "webhooks", "scenario"})
    for (const auto& entry : fs::recursive_directory_iterator(src / folder))
      if (entry.is_regular_file()) files.push_back(entry.path());
  REQUIRE(files.size() > 40);
  std::vector<std::string> violations;
  for (const auto& file : files) {
    std::set<fs::path> visited;
    std::string chain = chain_to_nlohmann(src, file, visited);
    if (!chain.empty()) violations.push_back(chain);
  }
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
}

TEST_CASE(
    "the public headers include only the standard library, each other and each glue header its "
    "own framework",
    "[unit][layering]") {
  const fs::path include = fs::path(PAYSANDBOX_SOURCE_DIR) / "src" / "include";
  std::vector<std::string> violations;
  const std::regex std_header("^[a-z_]+$");
  // Beyond the standard library: each framework's header in its own glue
  // header only (Catch2 v2's single header or v3's test macros). No JSON
  // library: a consumer compiles and links none.
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"paysandbox/catch2.h", "catch2/catch.hpp"},
      {"paysandbox/catch2.h", "catch2/catch_test_macros.hpp"},
      {"paysandbox/gtest.h", "gtest/gtest.h"}};
  for (const auto& inc : includes_under(include)) {
    if (inc.target.rfind("paysandbox/", 0) == 0) continue;
    if (allowed.count({inc.file, inc.target}) != 0) continue;
    if (!std::regex_match(inc.target, std_header))
      violations.push_back(inc.file + " includes " + inc.target);
  }
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
}

TEST_CASE("core and the services never read the system clock", "[unit][layering]") {
  const fs::path src = fs::path(PAYSANDBOX_SOURCE_DIR) / "src";
  std::vector<std::string> violations;
  for (const char* folder : {"core", "service", "store", "webhooks", "scenario"}) {
    for (const auto& entry : fs::recursive_directory_iterator(src / folder)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        if (line.find("system_clock") != std::string::npos ||
            line.find("time(nullptr)") != std::string::npos)
          violations.push_back(entry.path().string() + ":" + std::to_string(number));
      }
    }
  }
  for (const auto& v : violations) UNSCOPED_INFO(v);
  CHECK(violations.empty());
}

TEST_CASE("http/ keeps its transport and its routes apart", "[unit][layering]") {
  // transport/ turns bytes into requests for the router: it may use the
  // router, the error shape, the notice of a worker waiting on other threads
  // (core/waiting.h) and itself, never a route or a service. api/
  // holds the routes: no socket code. adapter.cc, at http/'s top, joins them.
  const fs::path src = fs::path(PAYSANDBOX_SOURCE_DIR) / "src";
  REQUIRE(fs::is_directory(src / "http" / "transport"));
  REQUIRE(fs::is_directory(src / "http" / "api"));
  // ui/ holds the dashboard's and the hosted page's assets, compiled in as
  // data (cmake/embed_files.cmake): no C++ there, and no asset elsewhere.
  REQUIRE(fs::is_directory(src / "http" / "ui"));
  for (const auto& entry : fs::recursive_directory_iterator(src / "http")) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    const bool in_ui = fs::relative(entry.path(), src / "http").begin()->string() == "ui";
    INFO(fs::relative(entry.path(), src).string());
    if (in_ui) CHECK((ext != ".cc" && ext != ".h"));
    if (!in_ui) CHECK((ext == ".cc" || ext == ".h"));
  }
  const std::set<std::string> transport_may = {"http/router.h", "http/errors.h", "core/ids.h",
                                               "core/thread_annotations.h", "core/waiting.h"};
  for (const auto& inc : includes_under(src)) {
    const auto slash = inc.target.find('/');
    if (slash == std::string::npos || kOwnFolders.count(inc.target.substr(0, slash)) == 0)
      continue;  // a system or third-party header
    INFO(inc.file << " includes " << inc.target);
    if (inc.file.rfind("http/transport/", 0) == 0 && inc.target.rfind("http/transport/", 0) != 0)
      CHECK(transport_may.count(inc.target) == 1);
    if (inc.file.rfind("http/api/", 0) == 0) CHECK(inc.target.rfind("http/transport/", 0) != 0);
  }
}
