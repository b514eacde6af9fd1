// The hosted-session rules the session service owns (the routes only read
// the request and ask): the amount within the account's limits, only an
// active session changes, a locked method stays.
#include "service/sessions.h"
#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("a session's amount must lie within the account's payment limits", "[unit]") {
  Account account;
  account.minimum_payment_amount = 100;
  account.maximum_payment_amount = 5000;
  CHECK(SessionService::check_amount(account, 100).ok());
  CHECK(SessionService::check_amount(account, 5000).ok());
  for (std::int64_t outside : {99, 5001}) {
    const Status refused = SessionService::check_amount(account, outside);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::kValidation);
    CHECK(refused.error().param == "amount");
    CHECK(refused.error().message ==
          "'amount' must be between 100 and 5000 cents for this "
          "account; got " +
              std::to_string(outside) + ".");
  }
}

TEST_CASE("only an active session changes", "[unit]") {
  HostedSession session;
  session.id = "cs_1";
  CHECK(SessionService::may_change(session).ok());
  session.status = SessionStatus::kCompleted;
  session.payment_uid = "pay_1";
  Status refused = SessionService::may_change(session);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kAlreadyConfirmed);
  CHECK(refused.error().message ==
        "Session cs_1 is completed (payment pay_1); only an active session can change.");
  session.status = SessionStatus::kExpired;
  CHECK(SessionService::may_change(session).error().code == ErrorCode::kAlreadyConfirmed);
}

TEST_CASE("the wallet page may not delete a method its session locks", "[unit]") {
  HostedSession session;
  session.options.locked_payment_methods.push_back({"spm_locked", "pays a subscription"});
  CHECK(SessionService::may_delete_method(session, "spm_other").ok());
  const Status refused = SessionService::may_delete_method(session, "spm_locked");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK(refused.error().param == "payment_method_uid");
  CHECK(refused.error().message.find("(pays a subscription)") != std::string::npos);
}
