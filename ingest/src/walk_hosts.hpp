// Where a walked file's host comes from (walk.cpp): folders that name a
// layout rather than a host, the nearest folder that does, and sosreport
// folders found on disk with the host their hostname files name.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace migsleuth::ingest {

// A folder name that belongs to a log layout or to how a bundle is sorted
// (var, log, nova, kolla, captures, pods ...), not to a host.
bool is_layout_dir(std::string_view name);

// Kubernetes' var/log/pods/NS_POD_UID/CONTAINER/: the pod's and the
// container's folders name no host either. `up1`..`up3` are the names of the
// folder's parent, grandparent and great-grandparent: only under log/pods/
// (a bundle folder may be named "pods" and hold host folders).
bool is_pod_log_dir(std::string_view up1, std::string_view up2, std::string_view up3);

// Whether `canonical` is `root` or below it (both canonical paths).
bool lies_within(const std::filesystem::path& canonical, const std::filesystem::path& root);

// The folder a path's host comes from: the nearest ancestor that is not a
// layout folder, or empty.
std::filesystem::path host_dir_of(const std::string& path);

// A sosreport folder on disk and who it belongs to, decided once per folder.
struct sos_tree {
  std::filesystem::path root;
  std::string host;
  std::string from;
  int rank = 0;
};

class sos_finder {
 public:
  // The innermost sosreport folder holding `file`, or nullptr.
  const sos_tree* tree_of(const std::filesystem::path& file);

 private:
  static std::optional<sos_tree> probe(const std::filesystem::path& dir);

  std::map<std::filesystem::path, std::optional<sos_tree>> cache_;
  // The walk lists a folder's files one after another: the last folder's
  // answer, so that a file costs one string comparison, not a map lookup
  // per folder up to the root (a tenth of a sosreport fleet's instructions).
  std::string last_folder_;
  const sos_tree* last_tree_ = nullptr;
  bool have_last_ = false;
};

}  // namespace migsleuth::ingest
