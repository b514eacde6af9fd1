// The state enums of core/: each spelled once, in one table, both ways.
#include "core/delivery.h"
#include "core/event_type.h"
#include "core/outcome.h"
#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("every card outcome spells to its name and back", "[unit][states]") {
  const Outcome all[] = {Outcome::kApproved,    Outcome::kCardDeclined, Outcome::kInsufficientFunds,
                         Outcome::kExpiredCard, Outcome::kIncorrectCvc, Outcome::kProcessingError,
                         Outcome::kNetworkError};
  for (Outcome outcome : all) {
    auto back = outcome_from_name(outcome_name(outcome));
    REQUIRE(back);
    CHECK(*back == outcome);
    CHECK(outcome_names().find(outcome_name(outcome)) != std::string::npos);
  }
  CHECK(std::string(outcome_name(Outcome::kInsufficientFunds)) == "insufficient_funds");
  CHECK_FALSE(outcome_from_name("declined"));
  CHECK_FALSE(outcome_from_name(""));
}

TEST_CASE("only an approved outcome captures without an error", "[unit][states]") {
  CHECK_FALSE(outcome_error(Outcome::kApproved));
  CHECK(outcome_error(Outcome::kCardDeclined) == ErrorCode::kCardDeclined);
  CHECK(outcome_error(Outcome::kIncorrectCvc) == ErrorCode::kIncorrectCvc);
  CHECK(outcome_error(Outcome::kProcessingError) == ErrorCode::kProcessingError);
  CHECK(outcome_error(Outcome::kNetworkError) == ErrorCode::kNetworkError);
  CHECK(std::string(outcome_description(Outcome::kCardDeclined)) == "The card was declined");
}

TEST_CASE("every delivery status spells to its name and back", "[unit][states]") {
  const DeliveryStatus all[] = {DeliveryStatus::kPending, DeliveryStatus::kDelivered,
                                DeliveryStatus::kFailed, DeliveryStatus::kNotConfigured};
  for (DeliveryStatus status : all) {
    auto back = delivery_status_from_name(delivery_status_name(status));
    REQUIRE(back);
    CHECK(*back == status);
  }
  CHECK(std::string(delivery_status_name(DeliveryStatus::kNotConfigured)) == "not_configured");
  CHECK_FALSE(delivery_status_from_name("sent"));
}

TEST_CASE("every event type spells to its name and back, with a description", "[unit][states]") {
  REQUIRE(all_event_types().size() >= 10);
  for (EventType type : all_event_types()) {
    auto back = event_type_from_name(event_type_name(type));
    REQUIRE(back);
    CHECK(*back == type);
    CHECK(std::string(event_type_description(type)).size() > 10);
  }
  CHECK(std::string(event_type_name(EventType::kProviderNoc)) == "provider.noc");
  CHECK(std::string(event_type_name(EventType::kPaymentCompleted)) == "payment.completed");
  CHECK_FALSE(event_type_from_name("payment.created"));
}
