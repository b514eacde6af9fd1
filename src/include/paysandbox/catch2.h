#pragma once

// Catch2 glue (target PaymentSandbox::catch2), for Catch2 v2 and v3: one
// Sandbox for the whole test run, and a fresh TestAccount for each test case
// that asks for one.
//
//   TEST_CASE_METHOD(paysandbox::catch2::AccountFixture, "a saved card pays", "[payments]") {
//     auto card = account.save_card(account.create_customer("user-1"), "4111111111111111");
//     CHECK(account.pay(card, 1000).status == paysandbox::api::PaymentStatus::kCompleted);
//   }
//
// Link Catch2::Catch2WithMain (or your own main) as usual. The glue is built
// against one Catch2 major version, and its CMake target tells this header
// which (PAYSANDBOX_CATCH2_MAJOR); without it, the header picks v3 when its
// headers are on the include path.

#if !defined(PAYSANDBOX_CATCH2_MAJOR)
#if defined(__has_include)
#if __has_include(<catch2/catch_test_macros.hpp>)
#define PAYSANDBOX_CATCH2_MAJOR 3
#endif
#endif
#if !defined(PAYSANDBOX_CATCH2_MAJOR)
#define PAYSANDBOX_CATCH2_MAJOR 2
#endif
#endif

#if PAYSANDBOX_CATCH2_MAJOR >= 3
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include "paysandbox/sandbox.h"
#include "paysandbox/test_account.h"

namespace paysandbox {
namespace catch2 {

// Options for the run's sandbox. Call before the first test uses it (from
// your own main, say); later calls throw std::logic_error.
void set_options(Options options);

// The run's sandbox: started on first use, stopped by a listener when the
// run ends. Each test's accounts keep it isolated from the others.
Sandbox& sandbox();

// A test case's fixture: `account` is the test's own account, reset when
// the test case ends.
class AccountFixture {
 protected:
  TestAccount account{sandbox()};
};

}  // namespace catch2
}  // namespace paysandbox
