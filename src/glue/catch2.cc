// The Catch2 v2 side of paysandbox/catch2.h: the run's sandbox and the
// listener that stops it when the run ends.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "paysandbox/catch2.h"

#include <utility>

#include "glue/run_sandbox.h"

namespace paysandbox {
namespace catch2 {
namespace {

glue::RunSandbox& run() {
  static glue::RunSandbox instance;
  return instance;
}

class SandboxListener : public Catch::TestEventListenerBase {
 public:
  using Catch::TestEventListenerBase::TestEventListenerBase;
  void testRunEnded(const Catch::TestRunStats& stats) override {
    run().stop();
    Catch::TestEventListenerBase::testRunEnded(stats);
  }
};

}  // namespace

void set_options(Options options) {
  run().set_options(std::move(options), "paysandbox::catch2::set_options");
}

Sandbox& sandbox() { return run().get(); }

CATCH_REGISTER_LISTENER(SandboxListener)

}  // namespace catch2
}  // namespace paysandbox
