// `migsleuth collect`: prints the shell script that gathers what an analysis
// needs on a compute host or a controller (app/cmd_collect.cpp, collect/).
// Registered from main.cpp in two lines.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace migsleuth::app {

struct collect_options {
  std::string instance;
  std::string since, until;
  std::string deployment = "plain";
  bool controller = false;
  std::string out_dir = ".";
  std::string output;  // the script's file; empty = stdout
  std::string k8s_namespace = "openstack";
  unsigned job_samples = 10;
  unsigned job_interval = 1;
};

CLI::App* add_collect_command(CLI::App& app, collect_options& opt);
int run_collect(const collect_options& opt);

}  // namespace migsleuth::app
