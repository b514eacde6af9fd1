// The GoogleTest side of paysandbox/gtest.h: the program's sandbox, owned by
// a global Environment registered when this library is linked.
#include "paysandbox/gtest.h"

#include <utility>

#include "glue/run_sandbox.h"

namespace paysandbox {
namespace gtest {
namespace {

glue::RunSandbox& run() {
  static glue::RunSandbox instance;
  return instance;
}

class SandboxEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { sandbox(); }
  void TearDown() override { run().stop(); }
};

// GoogleTest owns and deletes the environment.
::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SandboxEnvironment);

}  // namespace

void set_options(Options options) {
  run().set_options(std::move(options), "paysandbox::gtest::set_options");
}

Sandbox& sandbox() {
  (void)kEnvironment;
  return run().get();
}

}  // namespace gtest
}  // namespace paysandbox
