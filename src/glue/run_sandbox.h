#pragma once

// The one sandbox a test run shares, for the framework glue (catch2.cc,
// gtest.cc): started on first use with the options set before it, stopped
// when the framework's run ends. Header-only, so each glue target stays one
// file plus this.
#include <memory>
#include <stdexcept>
#include <string>

#include "core/thread_annotations.h"
#include "paysandbox/sandbox.h"

namespace paysandbox {
namespace glue {

class RunSandbox {
 public:
  // `who` names the caller in the error, e.g. "paysandbox::gtest::set_options".
  void set_options(Options options, const char* who) {
    MutexLock lock(mutex_);
    if (sandbox_) throw std::logic_error(std::string(who) + " after the sandbox started");
    options_ = std::move(options);
  }
  Sandbox& get() {
    MutexLock lock(mutex_);
    if (!sandbox_) sandbox_ = std::make_unique<Sandbox>(options_);
    return *sandbox_;
  }
  void stop() {
    MutexLock lock(mutex_);
    sandbox_.reset();
  }

 private:
  Mutex mutex_;
  Options options_ GUARDED_BY(mutex_);
  std::unique_ptr<Sandbox> sandbox_ GUARDED_BY(mutex_);
};

}  // namespace glue
}  // namespace paysandbox
