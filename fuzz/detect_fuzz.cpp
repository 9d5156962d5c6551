// libFuzzer target: kind detection on arbitrary content; the first byte picks
// the path the content pretends to come from.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 6> kPaths{
      "h/var/log/nova/nova-compute.log",   "h/var/log/libvirt/qemu/instance-00000001.log",
      "h/var/log/messages",                "h/sos_commands/virsh/virsh_-r_domjobinfo",
      "h/openstack-server-show.json",      "h/notes.txt"};
  if (size == 0) return 0;
  const std::string_view path = kPaths[data[0] % kPaths.size()];
  const std::string_view head(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto d = migsleuth::ingest::detect_kind(path, head);
  if (d.reason.empty()) __builtin_trap();  // every decision explains itself
  return 0;
}
