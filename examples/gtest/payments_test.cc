// A merchant's test with GoogleTest: one sandbox for the program, a fresh account per test.
#include <paysandbox/gtest.h>

using namespace std::chrono_literals;
using paysandbox::api::PaymentStatus;
using PaymentTest = paysandbox::gtest::AccountTest;

TEST_F(PaymentTest, SavedCardStillPaysAfterTheBearerTokensHourIsOver) {
  auto card = account.save_card(account.create_customer("user-42"), "4111111111111111");
  account.advance_clock(2h, paysandbox::ClockScope::kServer);  // bearer renewed for us
  auto payment = account.pay(card, 10000);
  EXPECT_EQ(payment.status, PaymentStatus::kCompleted);
  EXPECT_EQ(payment.total_amount, 10298);  // 2.95 % + 3 cents
  auto event = account.wait_for_event("payment.completed", 5s);
  EXPECT_NE(event.data.find(payment.uid), std::string::npos);  // data: JSON text
}
