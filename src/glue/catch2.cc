// The Catch2 side of paysandbox/catch2.h: the run's sandbox and the listener
// that stops it when the run ends. Catch2 v2 declares its listener base and
// registrar in catch.hpp under CATCH_CONFIG_EXTERNAL_INTERFACES; v3 has them
// in their own headers and renamed the base EventListenerBase.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "paysandbox/catch2.h"

#if PAYSANDBOX_CATCH2_MAJOR >= 3
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
#endif

#include <utility>

#include "glue/run_sandbox.h"

namespace paysandbox {
namespace catch2 {
namespace {

glue::RunSandbox& run() {
  static glue::RunSandbox instance;
  return instance;
}

#if PAYSANDBOX_CATCH2_MAJOR >= 3
using ListenerBase = Catch::EventListenerBase;
#else
using ListenerBase = Catch::TestEventListenerBase;
#endif

class SandboxListener : public ListenerBase {
 public:
  using ListenerBase::ListenerBase;
  void testRunEnded(const Catch::TestRunStats& stats) override {
    run().stop();
    ListenerBase::testRunEnded(stats);
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
