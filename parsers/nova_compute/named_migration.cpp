#include "nova_compute/named_migration.hpp"

#include <cctype>

#include "migsleuth/core/text.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::size_t kUuidSize = 36;

// "migration" as a word: not the end of "live_migration" or "LiveMigration".
bool is_word_start(std::string_view text, std::size_t at) {
  if (at == 0) return true;
  const auto before = static_cast<unsigned char>(text[at - 1]);
  return std::isalnum(before) == 0 && before != '_';
}

}  // namespace

std::string named_migration(std::string_view message) {
  constexpr std::string_view kWord = "migration";
  for (std::size_t at = find_ignoring_case(message, kWord); at != std::string_view::npos;
       at = find_ignoring_case(message, kWord, at + 1)) {
    if (!is_word_start(message, at)) continue;
    const std::size_t after = at + kWord.size();
    if (after >= message.size() || (message[after] != ' ' && message[after] != '(')) continue;
    const std::string_view id = message.substr(after + 1, kUuidSize);
    // A UUID that runs on is some other token.
    const std::size_t end = after + 1 + kUuidSize;
    const bool ends = end >= message.size() ||
                      (std::isalnum(static_cast<unsigned char>(message[end])) == 0 &&
                       message[end] != '-');
    if (looks_like_uuid(id) && ends) return lower_ascii(id);
  }
  return {};
}

void note_named_migration(event& ev) {
  if (!ev.instance.empty() || ev.instance_unknown) return;
  std::string id = named_migration(ev.message);
  if (!id.empty()) ev.values.emplace_back("migration_uuid", std::move(id));
}

}  // namespace migsleuth::parsers
