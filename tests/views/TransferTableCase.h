#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

// A case of many synthetic transfers written straight into the transfers table (no events): for
// the transfers table's paging, sort and filter tests and bench_gui's 100 000-transfer run.
// What was written is returned, so tests compute their expectations from it, not from the code
// under test. Transfer i: file "tool-NNNNN.exe" (i zero-padded), source host WS-(i % hosts),
// destination WS-((i * 7 + 1) % hosts), method kMethods[i % n], account ACME\user(i % 13),
// executed when i % 3 == 0, confidence 0.3 + (i % 7) / 10, first time base + i s.
// `hostileFile` (if not empty) replaces the file name of transfer 0.
struct SyntheticTransfer {
    int64_t id = 0;
    QString file, source, destination, method, account;
    bool executed = false;
    double confidence = 0;
    int64_t firstTs = 0;
};

std::vector<SyntheticTransfer> buildTransferCase(
    const QString &path, int transfers, int hosts, const QString &hostileFile = {}, QString *error = nullptr);
