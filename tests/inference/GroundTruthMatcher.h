#pragma once

// Pairs labelled transfers (ground_truth.json objects, corpus or generator) with inferred ones
// and counts precision / recall per method. A pair needs the same destination and file name, a
// compatible source (name or address, when the label knows one) and times within the tolerance;
// method and account are then compared on the pair.

#include "inference/TransferQuery.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <map>
#include <vector>

struct Label {
    QString src, srcIp, dst, dstIp, file, account, method, confidence, category;
    qint64 utcMs = 0;
};

struct MethodStats {
    int tp = 0, fp = 0, fn = 0;
    double precision() const { return tp + fp ? double(tp) / (tp + fp) : 1.0; }
    double recall() const { return tp + fn ? double(tp) / (tp + fn) : 1.0; }
};

class GroundTruthMatcher {
public:
    static Label label(const QJsonObject &o);
    // The corpus's ground_truth.json (TT_CORPUS_DIR): one object per labelled file; empty when unreadable.
    static QJsonArray corpusTruth();
    // Upper-case short host key ("PC01.example.corp" -> "PC01"), addresses as they are.
    static QString hostKey(const QString &name);
    // "EXAMPLE\Administrator" vs the inferred account, case-insensitively; empty label = no check.
    static bool sameAccount(const QString &label, const std::string &found);
    static bool pairs(const Label &l, const tt::inference::TransferRow &r, qint64 toleranceMs);

    struct Outcome {
        std::vector<int> rowOfLabel; // -1 unpaired
        std::vector<int> labelOfRow; // -1 unpaired
    };
    static Outcome match(
        const std::vector<Label> &labels, const std::vector<tt::inference::TransferRow> &rows, qint64 toleranceMs);
    static void count(const std::vector<Label> &labels, const std::vector<tt::inference::TransferRow> &rows,
        const Outcome &o, std::map<QString, MethodStats> &stats);
    static QString table(const std::map<QString, MethodStats> &stats);
};
