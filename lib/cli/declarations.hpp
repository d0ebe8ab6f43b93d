#pragma once
// One declare function per command (lib/cli/cmd_<name>.cpp); command_table.cpp lists them.
#include <memory>

#include "cli/builder.hpp"
#include "commands/drill.hpp"

namespace mysqlpitr::cli {

void declare_check(CLI::App& root, Builder& builder);
void declare_status(CLI::App& root, Builder& builder);
void declare_list(CLI::App& root, Builder& builder);
void declare_prune(CLI::App& root, Builder& builder);
void declare_config(CLI::App& root, Builder& builder);
void declare_completion(CLI::App& root, Builder& builder);
void declare_backup(CLI::App& root, Builder& builder);
void declare_verify(CLI::App& root, Builder& builder);
void declare_restore_historical(CLI::App& root, Builder& builder);
void declare_restore_pitr(CLI::App& root, Builder& builder);
void declare_rotate_binlogs(CLI::App& root, Builder& builder);
void declare_mongo_restore(CLI::App& root, Builder& builder);
void declare_binlogs(CLI::App& root, Builder& builder);
void declare_list_binlogs(CLI::App* list, Builder& builder);  // `list binlogs`, in cmd_binlogs.cpp
void declare_binlogs_stream(CLI::App* binlogs, Builder& builder);  // `binlogs stream`, in cmd_binlogs.cpp
// `verify --drill [--db NAME]... [--dry-run]`, in cmd_drill.cpp: declared on verify, run by its dispatch.
std::shared_ptr<commands::DrillOptions> declare_drill(CLI::App* verify);
commands::Report run_drill(commands::Context& context, const commands::DrillOptions& options);

}  // namespace mysqlpitr::cli
