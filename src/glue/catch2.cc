// The Catch2 v2 side of paysandbox/catch2.h: the run's sandbox and the
// listener that stops it when the run ends.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "paysandbox/catch2.h"

#include <memory>
#include <mutex>
#include <stdexcept>

namespace paysandbox {
namespace catch2 {
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

class SandboxListener : public Catch::TestEventListenerBase {
 public:
  using Catch::TestEventListenerBase::TestEventListenerBase;
  void testRunEnded(const Catch::TestRunStats& stats) override {
    {
      std::lock_guard<std::mutex> lock(run().mutex);
      run().sandbox.reset();
    }
    Catch::TestEventListenerBase::testRunEnded(stats);
  }
};

}  // namespace

void set_options(Options options) {
  std::lock_guard<std::mutex> lock(run().mutex);
  if (run().sandbox)
    throw std::logic_error("paysandbox::catch2::set_options after the sandbox started");
  run().options = std::move(options);
}

Sandbox& sandbox() {
  std::lock_guard<std::mutex> lock(run().mutex);
  if (!run().sandbox) run().sandbox = std::make_unique<Sandbox>(run().options);
  return *run().sandbox;
}

CATCH_REGISTER_LISTENER(SandboxListener)

}  // namespace catch2
}  // namespace paysandbox
