// `migsleuth preflight`: CPU compatibility of a fleet before a maintenance
// window (app/cmd_preflight.cpp). Registered from main.cpp in two lines.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace migsleuth::app {

struct preflight_options {
  std::vector<std::string> paths;
  std::string format = "text";  // text | markdown | json
  std::string output;           // file, empty = stdout
  std::string cpu_model;        // adds the custom-mode matrix
  std::vector<std::string> extra_flags;
  std::string deployment = "plain";  // which hosts' form the commands take (analyze --deployment)
};

CLI::App* add_preflight_command(CLI::App& app, preflight_options& opt);
int run_preflight(const preflight_options& opt);

}  // namespace migsleuth::app
