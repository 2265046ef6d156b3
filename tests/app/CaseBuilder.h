#pragma once

#include <QString>

// Builds a small generated case (scenario generator -> import engine -> inference) for the
// workbench and CLI tests; returns the case path ("" on failure, with a message in *error).
QString buildGeneratedCase(const QString &dir, int hosts, qint64 events, quint64 seed, QString *error);
