// An input's path held as its folder and name (input_path.hpp) and its
// warnings as one pointer (text_list.hpp): the same text as the strings they
// replace, whatever is copied, moved or dropped first.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "migsleuth/core/input.hpp"

using namespace migsleuth;

TEST_CASE("a walked path is its folder then its name, and outlives the walk's store") {
  std::vector<input_path> kept;
  {
    path_names names;
    const input_path dir = names.folder("bundle/cmp-a/var/log/nova/");
    for (int i = 0; i < 3000; ++i) {  // more than the store's first block
      kept.push_back(names.in_folder(dir, "nova-compute.log." + std::to_string(i)));
    }
    const input_path other = names.folder("bundle/cmp-b/");
    kept.push_back(names.in_folder(other, ""));
  }  // the store and the folders' own handles are gone: the paths keep them
  CHECK(kept[0].str() == "bundle/cmp-a/var/log/nova/nova-compute.log.0");
  CHECK(kept[2999] == "bundle/cmp-a/var/log/nova/nova-compute.log.2999");
  CHECK(kept[2999].folder_part() == "bundle/cmp-a/var/log/nova/");
  CHECK(kept[2999].name_part() == "nova-compute.log.2999");
  CHECK(kept.back() == "bundle/cmp-b/");
  CHECK_FALSE(kept[1] == "bundle/cmp-a/var/log/nova/nova-compute.log.2");
  CHECK_FALSE(kept[1] == "bundle/cmp-a/var/log/nova/nova-compute.log.10");
  CHECK(kept[1].size() == std::string("bundle/cmp-a/var/log/nova/nova-compute.log.1").size());
}

TEST_CASE("a path of its own reads, copies and compares like the string it was") {
  const std::string member = "b/sos.tar.xz!sos/var/log/nova/nova-compute.log";
  input_path p = member;
  CHECK(p.folder_part().empty());
  CHECK(p.str() == member);
  input_path copy = p;
  p = "other";
  CHECK(copy == member);
  CHECK(p == "other");
  CHECK(copy + ":12" == member + ":12");
  CHECK("at " + copy == "at " + member);
  std::ostringstream os;
  os << copy;
  CHECK(os.str() == member);
  input_path moved = std::move(copy);
  CHECK(moved == member);
  CHECK(input_path().empty());
  CHECK(input_path("").str().empty());
  std::string out = "x=";
  moved.append_to(out);
  CHECK(out == "x=" + member);
}

TEST_CASE("folder paths copied across threads' worth of owners share one folder") {
  path_names names;
  const input_path dir = names.folder("d/");
  input_path a = names.in_folder(dir, "a.log");
  input_path b = a;             // shares the folder and the kept name
  input_path c = std::move(a);  // a is empty now
  CHECK(a.empty());             // NOLINT(bugprone-use-after-move): moved-from is empty
  CHECK(b == c);
  b = c;
  CHECK(b == "d/a.log");
  b = input_path("own");
  CHECK(c == "d/a.log");
}

TEST_CASE("an input's warnings: none costs one pointer, some read like a vector") {
  input in;
  CHECK(in.warnings.empty());
  CHECK(in.warnings.size() == 0);
  CHECK(in.warnings.begin() == in.warnings.end());
  const std::vector<std::string> before = {"sos .tailed", "member renamed"};
  in.warnings.push_back("cut");
  in.warnings.insert(in.warnings.begin(), before.begin(), before.end());
  in.warnings.emplace_back("last");
  const std::vector<std::string>& all = in.warnings;
  CHECK(all == std::vector<std::string>{"sos .tailed", "member renamed", "cut", "last"});
  input copy = in;
  in.warnings.clear();
  CHECK(in.warnings.empty());
  CHECK(copy.warnings.size() == 4);
  CHECK(copy.warnings.front() == "sos .tailed");
  CHECK(copy.warnings[2] == "cut");
  CHECK(copy.warnings.items().at(1) == "member renamed");
  CHECK(copy.warnings.back() == "last");
  text_list empty_then;
  empty_then.insert(empty_then.begin(), before.begin(), before.end());
  CHECK(empty_then.items() == before);
}

TEST_CASE("an input is smaller than its strings were") {
  // path 16, host and three shared texts 8 each, counters 16, warnings 8,
  // kind, packing, unreadable: 136 bytes with std::string and std::vector.
  STATIC_REQUIRE(sizeof(input) <= 80);
}
