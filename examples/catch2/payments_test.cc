// A merchant's test with Catch2 v2: one sandbox for the run, a fresh account per test.
#include <paysandbox/catch2.h>

using namespace std::chrono_literals;
using paysandbox::api::PaymentStatus;

TEST_CASE_METHOD(paysandbox::catch2::AccountFixture,
                 "a saved card still pays after the bearer token's hour is over", "[payments]") {
  auto card = account.save_card(account.create_customer("user-42"), "4111111111111111");
  account.advance_clock(2h, paysandbox::ClockScope::kServer);  // bearer renewed for us
  auto payment = account.pay(card, 10000);
  CHECK(payment.status == PaymentStatus::kCompleted);
  CHECK(payment.total_amount == 10298);  // 2.95 % + 3 cents
  auto event = account.wait_for_event("payment.completed", 5s);
  CHECK(event.data.find(payment.uid) != std::string::npos);  // data: JSON text
}
