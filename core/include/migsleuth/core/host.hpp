// One host under every name the data gives it: the folder or sosreport name,
// the FQDN nova runs under, the address in a migration URI, the name in a
// controller record. Mirrors report-v1 `hosts[]`.
//
// What it does not do: decide which names are one host (correlate's
// host_index does, from the data) or read files.
#pragma once

#include <string>
#include <vector>

namespace migsleuth {

struct host_alias {
  std::string name;  // another spelling of the host
  std::string why;   // what in the data says it is the same host
};

struct host_identity {
  std::string name;   // the name every part of the report uses
  std::string why;    // why this spelling was chosen among the names
  std::vector<host_alias> aliases;  // sorted by name; empty when the host has one name
  bool has_inputs = false;          // files of the bundle were attributed to it
};

}  // namespace migsleuth
