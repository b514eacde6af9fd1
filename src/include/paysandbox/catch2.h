#pragma once

// Catch2 v2 glue (target PaymentSandbox::catch2): one Sandbox for the whole
// test run, and a fresh TestAccount for each test case that asks for one.
//
//   TEST_CASE_METHOD(paysandbox::catch2::AccountFixture, "a saved card pays", "[payments]") {
//     auto card = account.save_card(account.create_customer("user-1"), "4111111111111111");
//     CHECK(account.pay(card, 1000).status == paysandbox::api::PaymentStatus::kCompleted);
//   }
//
// Link Catch2::Catch2WithMain (or your own main) as usual.

#include <catch2/catch.hpp>

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
