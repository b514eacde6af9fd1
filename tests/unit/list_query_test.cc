// The OData list-query parser (docs/api/README.md#conventions), without sockets.
#include "core/list_query.h"

#include "support/catch.h"

using namespace paysandbox;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
const std::vector<std::string> kFields = {"reference_id", "email"};

std::string param_of(const Params& params) {
  auto result = parse_list_query(params, kFields);
  REQUIRE_FALSE(result.ok());
  return result.error().param;
}

}  // namespace

TEST_CASE("an empty query lists 100 from the start in created order", "[unit][odata]") {
  auto query = parse_list_query({}, kFields);
  REQUIRE(query.ok());
  CHECK(query->top == 100);
  CHECK(query->skip == 0);
  CHECK_FALSE(query->descending);
  CHECK(query->filters.empty());
}

TEST_CASE("$filter reads eq terms joined by and, with doubled quotes", "[unit][odata]") {
  auto terms = parse_odata_filter("reference_id eq 'O''Brien' and  email eq 'a@b.c'", kFields);
  REQUIRE(terms.ok());
  REQUIRE(terms->size() == 2);
  CHECK((*terms)[0].field == "reference_id");
  CHECK((*terms)[0].value == "O'Brien");
  CHECK((*terms)[1].field == "email");
  CHECK((*terms)[1].value == "a@b.c");
  auto empty_value = parse_odata_filter("email eq ''", kFields);
  REQUIRE(empty_value.ok());
  CHECK((*empty_value)[0].value.empty());
  auto only_quote = parse_odata_filter("email eq ''''", kFields);
  REQUIRE(only_quote.ok());
  CHECK((*only_quote)[0].value == "'");
  auto spaces = parse_odata_filter("email eq 'a and b'", kFields);
  REQUIRE(spaces.ok());
  CHECK((*spaces)[0].value == "a and b");
}

TEST_CASE("$filter refuses what it cannot honour", "[unit][odata]") {
  for (const std::string text :
       {"", "   ", "name eq 'x'", "email ne 'x'", "email eq x", "email eq 'open",
        "email eq 'a' or email eq 'b'", "email eq 'a' and", "email", "eq 'a'",
        "email eq 'a' email eq 'b'"}) {
    INFO(text);
    auto result = parse_odata_filter(text, kFields);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().param == "$filter");
  }
}

TEST_CASE("$top, $skip and $orderby take only what they can honour", "[unit][odata]") {
  auto ok = parse_list_query(
      {{"$top", "1000"}, {"$skip", "20"}, {"$orderby", "created_at desc"}, {"page", "x"}}, kFields);
  REQUIRE(ok.ok());
  CHECK(ok->top == 1000);
  CHECK(ok->skip == 20);
  CHECK(ok->descending);
  CHECK(parse_list_query({{"$orderby", "created_at asc"}}, kFields).ok());
  CHECK(parse_list_query({{"$orderby", "created_at"}}, kFields).ok());

  CHECK(param_of({{"$top", "1001"}}) == "$top");
  CHECK(param_of({{"$top", "0"}}) == "$top");
  CHECK(param_of({{"$top", ""}}) == "$top");
  CHECK(param_of({{"$top", "1e3"}}) == "$top");
  CHECK(param_of({{"$skip", "-1"}}) == "$skip");
  CHECK(param_of({{"$skip", "99999999999999999999"}}) == "$skip");
  CHECK(param_of({{"$orderby", "email"}}) == "$orderby");
  CHECK(param_of({{"$orderby", "created_at desc, email"}}) == "$orderby");
  CHECK(param_of({{"$count", "true"}}) == "$count");
  CHECK(param_of({{"$search", "x"}}) == "$search");
}

TEST_CASE("page_of applies order, skip and top to a whole list", "[unit][odata]") {
  const std::vector<int> items = {1, 2, 3, 4, 5};
  ListQuery query;
  CHECK(page_of(items, query) == items);
  query.top = 2;
  query.skip = 1;
  CHECK(page_of(items, query) == std::vector<int>{2, 3});
  query.descending = true;
  CHECK(page_of(items, query) == std::vector<int>{4, 3});
  query.skip = 10;
  CHECK(page_of(items, query).empty());
  query.skip = 4;
  query.top = 1000;
  CHECK(page_of(items, query) == std::vector<int>{1});
}
