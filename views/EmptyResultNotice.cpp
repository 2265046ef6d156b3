#include "EmptyResultNotice.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tt {

EmptyResultNotice::EmptyResultNotice(QWidget *over)
    : QFrame(over)
    , m_text(new QLabel(this))
    , m_buttonRow(new QHBoxLayout)
{
    setObjectName(QStringLiteral("emptyResultNotice"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(14, 10, 14, 10);
    lay->addWidget(m_text);
    m_buttonRow->addStretch(1);
    m_buttonRow->addStretch(1);
    lay->addLayout(m_buttonRow);
    over->installEventFilter(this);
    hide();
}

void EmptyResultNotice::showNotice(const QString &text, const QList<std::pair<QString, std::function<void()>>> &actions)
{
    m_text->setText(text);
    for (QPushButton *b : std::as_const(m_buttons)) {
        b->hide();
        b->deleteLater(); // a button's own click may have led here
    }
    m_buttons.clear();
    for (const auto &[label, run] : actions) {
        auto *b = new QPushButton(label, this);
        connect(b, &QPushButton::clicked, this, [run = run] { run(); });
        m_buttonRow->insertWidget(m_buttonRow->count() - 1, b);
        m_buttons << b;
    }
    show();
    raise();
    place();
}

QString EmptyResultNotice::text() const
{
    return m_text->text();
}

bool EmptyResultNotice::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parent() && event->type() == QEvent::Resize)
        place();
    return QFrame::eventFilter(watched, event);
}

void EmptyResultNotice::place()
{
    const QWidget *over = parentWidget();
    const int w = std::min(over->width() - 20, std::max(320, over->width() / 2));
    m_text->setMaximumWidth(w - 28);
    const QSize size(w, heightForWidth(w) > 0 ? heightForWidth(w) : sizeHint().height());
    resize(size);
    move((over->width() - size.width()) / 2, std::max(10, (over->height() - size.height()) / 3));
}

} // namespace tt
