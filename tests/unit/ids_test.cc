#include "core/ids.h"

#include <set>

#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("a seeded id source gives the same ids for the same order of creation per account",
          "[unit][ids]") {
  auto draw = [](std::uint64_t seed) {
    IdSource source(seed);
    std::vector<std::string> out;
    {
      IdScope scope(&source, "pa_one");
      out.push_back(new_id("cus_"));
      out.push_back(random_hex(8));
    }
    {
      IdScope scope(&source, "pa_two");
      out.push_back(new_id("cus_"));
    }
    IdScope scope(&source, "pa_one");
    out.push_back(new_id("spm_"));
    out.push_back(new_random_id("req_", 20));
    return out;
  };
  auto first = draw(7);
  auto second = draw(7);
  CHECK(first[0] == second[0]);
  CHECK(first[1] == second[1]);
  CHECK(first[2] == second[2]);
  CHECK(first[3] == second[3]);
  CHECK(first[4] != second[4]);  // request ids stay random
  CHECK(first[0].size() == 4 + 24);
  CHECK(first[1].size() == 16);
  CHECK(first[0] != first[2]);  // another account, another sequence
  CHECK(draw(8)[0] != first[0]);
}

TEST_CASE("without a seeded scope ids are random", "[unit][ids]") {
  std::set<std::string> seen;
  IdSource unseeded;
  IdScope scope(&unseeded, "pa_one");
  for (int i = 0; i < 100; ++i) seen.insert(new_id("cus_"));
  CHECK(seen.size() == 100);
  CHECK(current_id_source() == &unseeded);
}
