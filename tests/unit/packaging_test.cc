// The Dockerfile's build stage needs a registry, which CI does not have:
// scripts/image builds the file with buildah and hands it the build stage's
// output (--build-context build=DIR) made by the same scripts, then
// tests/image/check.sh unpacks and runs the image. These keep the two in step
// and hold the final stage to what the image promises.
#include <fstream>
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

TEST_CASE("the Dockerfile's build stage makes the filesystem with the scripts CI runs",
          "[unit][packaging]") {
  const auto runs = build_stage_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].rfind("scripts/install-deps && ", 0) == 0);
  CHECK(runs[0].find("scripts/image-rootfs") != std::string::npos);
  CHECK(runs[0].find("scripts/portable") != std::string::npos);
  const auto lines = lines_of("Dockerfile");
  CHECK(contains_line(lines, "FROM debian:12 AS build"));
  // scripts/image replaces exactly that stage with the directory holding
  // rootfs/, which the final stage copies whole.
  CHECK(contains_line(lines, "COPY --from=build /rootfs/ /"));
  const auto image = lines_of("scripts/image");
  CHECK(contains_line(image, "--build-context \"build=$context\""));
  CHECK(contains_line(image, "scripts/image-rootfs \"$archive\" \"$context\""));
}

TEST_CASE(
    "the image is the portable binary on an empty base, run as a health-checked non-root "
    "server",
    "[unit][packaging]") {
  const auto lines = lines_of("Dockerfile");
  REQUIRE(!lines.empty());
  CHECK(lines.front().rfind("# ", 0) == 0);
  int stages = 0;
  std::string last_from;
  for (const auto& line : lines)
    if (line.rfind("FROM ", 0) == 0) {
      ++stages;
      last_from = line;
    }
  CHECK(stages == 2);
  CHECK(last_from == "FROM scratch");
  CHECK(contains_line(lines, "USER 10001:10001"));
  CHECK(contains_line(lines_of("scripts/image-rootfs"),
                      "sandbox:x:10001:10001:payment-sandbox:/data:/usr/sbin/nologin"));
  CHECK(contains_line(lines, "EXPOSE 8080"));
  CHECK(contains_line(lines, "PAYSANDBOX_HOST=0.0.0.0"));
  CHECK(contains_line(lines, "PAYSANDBOX_PORT=8080"));
  // No shell in the image: the health check and the entry point are exec
  // form, so the binary is PID 1 and receives SIGTERM itself.
  CHECK(contains_line(lines, "CMD [\"/usr/bin/payment-sandbox\", \"health\"]"));
  CHECK(contains_line(lines, "ENTRYPOINT [\"/usr/bin/payment-sandbox\"]"));
  CHECK(contains_line(lines, "CMD [\"serve\"]"));
}
