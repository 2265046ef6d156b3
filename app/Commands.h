#pragma once

#include <QStringList>

namespace tt::app {

int runImport(const QStringList &args); // ImportCommand.cpp
int runInfo(const QStringList &args); // InfoCommand.cpp
int runGen(const QStringList &args); // DemoCommands.cpp
int runDemo(const QStringList &args); // DemoCommands.cpp
int runGui(int argc, char **argv); // Gui.cpp
int runInfer(const QStringList &args); // TransfersCommand.cpp
int runTransfers(const QStringList &args); // TransfersCommand.cpp
int runSpread(const QStringList &args); // SpreadCommand.cpp
int runNotes(const QStringList &args); // NotesCommand.cpp
int runMeta(const QStringList &args); // NotesCommand.cpp
int runExport(const QStringList &args); // ExportCommand.cpp (needs a QApplication)
int runReport(const QStringList &args); // ExportCommand.cpp (needs a QApplication)
int runCopy(const QStringList &args); // CopyCommand.cpp
int runServer(const QStringList &args); // CopyCommand.cpp

} // namespace tt::app
