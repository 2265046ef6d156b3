#pragma once

// A generated recording (gen::generate) imported into a new case and inferred: the set-up the
// generator tests share (tst_generator_deploy, _procedures, _enterprise).

#include "generator/Generator.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

struct GeneratedCase {
    tt::gen::Summary summary;
    std::unique_ptr<tt::store::CaseStore> store;
    std::vector<tt::inference::TransferRow> rows; // every inferred transfer
    QJsonObject truth; // the first object of ground_truth.json
    QString error; // empty on success
};

// Generates `o` (its outDir), imports every file into a new case at casePath, runs the inference.
GeneratedCase importGenerated(const tt::gen::Options &o, const QString &casePath);
