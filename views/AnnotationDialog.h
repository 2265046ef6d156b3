#pragma once

#include "workbench/AnnotationController.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace tt {

// Edits one item's annotation: note (plain text or Markdown), tags (with "New tag..."),
// bookmark. OK writes it through the controller (one undoable step).
class AnnotationDialog : public QDialog {
    Q_OBJECT
public:
    AnnotationDialog(AnnotationController *controller, const AnnotationRef &ref, QWidget *parent = nullptr);

    // The state the dialog would store (tests drive the widgets, then read or accept()).
    store::Annotation edited() const;
    QPlainTextEdit *noteEdit() const { return m_note; }
    QCheckBox *markdownBox() const { return m_markdown; }
    QCheckBox *bookmarkBox() const { return m_bookmark; }
    QListWidget *tagList() const { return m_tags; }
    void accept() override;

private:
    void fillTags(const std::vector<int64_t> &checked);
    void newTag();

    AnnotationController *m_c;
    AnnotationRef m_ref;
    store::Annotation m_original;
    QLabel *m_title;
    QPlainTextEdit *m_note;
    QCheckBox *m_markdown;
    QCheckBox *m_bookmark;
    QListWidget *m_tags;
};

} // namespace tt
