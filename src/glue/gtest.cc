// The GoogleTest side of paysandbox/gtest.h: the program's sandbox, owned by
// a global Environment registered when this library is linked.
#include "paysandbox/gtest.h"

#include <memory>
#include <mutex>
#include <stdexcept>

namespace paysandbox {
namespace gtest {
namespace {

struct RunSandbox {
  std::mutex mutex;  // protects both fields
  Options options;
  std::unique_ptr<Sandbox> sandbox;
};

RunSandbox& run() {
  static RunSandbox instance;
  return instance;
}

class SandboxEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { sandbox(); }
  void TearDown() override {
    std::lock_guard<std::mutex> lock(run().mutex);
    run().sandbox.reset();
  }
};

// GoogleTest owns and deletes the environment.
::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SandboxEnvironment);

}  // namespace

void set_options(Options options) {
  std::lock_guard<std::mutex> lock(run().mutex);
  if (run().sandbox)
    throw std::logic_error("paysandbox::gtest::set_options after the sandbox started");
  run().options = std::move(options);
}

Sandbox& sandbox() {
  (void)kEnvironment;
  std::lock_guard<std::mutex> lock(run().mutex);
  if (!run().sandbox) run().sandbox = std::make_unique<Sandbox>(run().options);
  return *run().sandbox;
}

}  // namespace gtest
}  // namespace paysandbox
