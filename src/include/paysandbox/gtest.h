#pragma once

// GoogleTest glue (target PaymentSandbox::gtest): a global Environment runs
// one Sandbox for the whole test program, and each test using the fixture
// gets a fresh TestAccount.
//
//   using PaymentTest = paysandbox::gtest::AccountTest;
//   TEST_F(PaymentTest, SavedCardPays) {
//     auto card = account.save_card(account.create_customer("user-1"), "4111111111111111");
//     EXPECT_EQ(account.pay(card, 1000).status, paysandbox::api::PaymentStatus::kCompleted);
//   }
//
// Link GTest::gtest_main (or your own main) as usual.

#include <gtest/gtest.h>

#include "paysandbox/sandbox.h"
#include "paysandbox/test_account.h"

namespace paysandbox {
namespace gtest {

// Options for the run's sandbox. Call before the first test uses it (from
// your own main, before RUN_ALL_TESTS); later calls throw std::logic_error.
void set_options(Options options);

// The program's sandbox: started by the Environment's SetUp (or on first
// use), stopped by its TearDown.
Sandbox& sandbox();

// A test's fixture: `account` is the test's own account, reset when the test
// ends.
class AccountTest : public ::testing::Test {
 protected:
  TestAccount account{sandbox()};
};

}  // namespace gtest
}  // namespace paysandbox
