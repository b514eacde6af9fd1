// Issue 12: the Dockerfile is never built where the project is tested (no
// container engine), so it must run only commands CI runs outside it. This
// keeps its build stage equal to the README's first command, and its package
// step equal to scripts/deb-check's.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.h"

namespace {

std::vector<std::string> lines_of(const std::string& relative) {
  std::ifstream in(std::string(PAYSANDBOX_SOURCE_DIR) + "/" + relative);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_commands(const std::string& line) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = line.find(" && ", start)) != std::string::npos; start = at + 4)
    parts.push_back(line.substr(start, at - start));
  parts.push_back(line.substr(start));
  return parts;
}

// The README's first command: the first line of its first ```bash block that
// is not a comment.
std::string readme_first_command() {
  bool in_block = false;
  for (const auto& line : lines_of("README.md")) {
    if (!in_block && line == "```bash")
      in_block = true;
    else if (in_block && !line.empty() && line[0] != '#')
      return line;
  }
  return {};
}

// The RUN instructions of the Dockerfile's first (build) stage.
std::vector<std::string> build_stage_runs() {
  std::vector<std::string> runs;
  int stage = 0;
  for (const auto& line : lines_of("Dockerfile")) {
    if (line.rfind("FROM ", 0) == 0) ++stage;
    if (stage == 1 && line.rfind("RUN ", 0) == 0) runs.push_back(line.substr(4));
  }
  return runs;
}

bool contains_line(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the Dockerfile builds with the README's first command, serve left out",
          "[unit][packaging]") {
  const std::string readme = readme_first_command();
  INFO("README: " << readme);
  auto expected = split_commands(readme);
  REQUIRE(expected.size() >= 2);
  // The README's last step serves from the build tree; the image serves the
  // installed package instead.
  REQUIRE(expected.back().rfind("./build/payment-sandbox serve", 0) == 0);
  expected.pop_back();
  CHECK(expected.front() == "scripts/install-deps");
  CHECK(contains_line(expected, "--target payment-sandbox"));

  const auto runs = build_stage_runs();
  REQUIRE(runs.size() == 2);
  CHECK(split_commands(runs[0]) == expected);
  // The package step is the one scripts/deb-check runs in CI.
  CHECK(runs[1] == "cd build && cpack -G DEB");
  CHECK(contains_line(lines_of("scripts/deb-check"),
                      "cd \"$build\" && rm -f payment-sandbox_*.deb && cpack -G DEB"));
}

TEST_CASE("the image installs only the package and runs it as a health-checked non-root server",
          "[unit][packaging]") {
  const auto lines = lines_of("Dockerfile");
  REQUIRE(!lines.empty());
  CHECK(lines.front().rfind("# ", 0) == 0);
  CHECK(contains_line(lines, "no container engine"));
  CHECK(contains_line(lines, "FROM debian:12 AS build"));
  CHECK(contains_line(lines, "FROM debian:12-slim"));
  CHECK(contains_line(lines,
                      "apt-get install -y --no-install-recommends /tmp/payment-sandbox_*.deb"));
  CHECK(contains_line(lines, "USER sandbox"));
  CHECK(contains_line(lines, "EXPOSE 8080"));
  CHECK(contains_line(lines, "CMD payment-sandbox health"));
  CHECK(contains_line(lines, "PAYSANDBOX_HOST=0.0.0.0"));
  // Exec form: the binary is PID 1 and receives SIGTERM itself.
  CHECK(contains_line(lines, "ENTRYPOINT [\"payment-sandbox\"]"));
  CHECK(contains_line(lines, "CMD [\"serve\"]"));
}
