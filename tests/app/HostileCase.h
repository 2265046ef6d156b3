#pragma once

#include <QString>
#include <QStringList>

// A generated case with attacker-style text planted where logs put it: transfer file names and
// paths (<script>, quotes, braces, "->", "]", newline, an escape character, a formula, 100 kB),
// a host name crafted to break out of DOT / HTML / SVG, a process command line, and an
// annotation with a hostile note. For the export tests (library and command line).
struct HostileCase {
    QString path;
    QStringList fileNames; // every transfer's file name after planting, in id order
    QString hostName; // the crafted host name (a host that is in the graph)
    QString commandLine; // planted on a transfer's source process
    QString note; // annotation note on a transfer
};

// The strings planted as file names (the fifth also gets an escape character, which XML cannot
// carry raw).
QStringList hostileStrings();
inline const char kScript[] = "<script>alert(1)</script>";

HostileCase buildHostileCase(const QString &dir, QString *error);
