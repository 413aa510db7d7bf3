"""Proposal pages under /c/<council_slug>/proposals/."""

from django.urls import path

from xieshang.proposals.views import (
    detail,
    exports,
    followups,
    member,
    public,
    search,
    staff,
    stats,
    themes,
    unit,
)

app_name = "proposals"
urlpatterns = [
    # Members
    path("", member.mine, name="mine"),
    path("public/", public.published, name="public"),
    path("new/", member.edit, name="create"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", member.edit, name="edit"),
    path("<int:pk>/themes/", themes.themes, name="themes"),
    path("<int:pk>/themes/<int:tag_id>/remove/", themes.theme_untag, name="theme_untag"),
    path("autosave/", member.autosave, name="autosave"),
    path("<int:pk>/submit/", member.submit, name="submit"),
    path("<int:pk>/cosigners/", member.invite, name="invite"),
    path("cosign/", member.cosign_list, name="cosign_requests"),
    path("cosign/<int:pk>/", member.cosign_answer, name="cosign_answer"),
    path("replies/<int:pk>/rate/", member.rate, name="rate"),
    path("<int:pk>/files/<int:attachment_id>/", detail.attachment, name="attachment"),
    path("replies/<int:pk>/letters/<int:attachment_id>/", detail.letter, name="letter"),
    # Staff
    path("review/", staff.queue, name="queue"),
    path("review/accept/", staff.accept_selected, name="accept_selected"),
    path("review/meeting/", staff.meeting, name="meeting"),
    path("key/", staff.key_list, name="key"),
    path("collective/", staff.collective, name="collective"),
    path("collective/<int:pk>/revoke/", staff.collective_revoke, name="collective_revoke"),
    path("<int:pk>/follow-through/", staff.follow_through, name="follow_through"),
    path("<int:pk>/accept/", staff.accept, name="accept"),
    path("<int:pk>/decline/", staff.decline, name="decline"),
    path("<int:pk>/convert/", staff.convert, name="convert"),
    path("<int:pk>/merge/", staff.merge, name="merge"),
    path("<int:pk>/return/", staff.return_proposal, name="return"),
    path("<int:pk>/assign/", staff.assign, name="assign"),
    path("<int:pk>/rehandle/", staff.rehandle, name="rehandle"),
    path("<int:pk>/conclude/", staff.conclude, name="conclude"),
    path("<int:pk>/mark/", staff.mark, name="mark"),
    path("assignments/<int:pk>/extend/", staff.extend, name="extend"),
    path("replies/", staff.replies, name="replies"),
    path("replies/<int:pk>/", staff.check_reply, name="check_reply"),
    # Handling units
    path("unit/", unit.inbox, name="inbox"),
    path("assignments/<int:pk>/", unit.assignment, name="assignment"),
    path("assignments/<int:pk>/object/", unit.object_view, name="object"),
    path("assignments/<int:pk>/notes/", unit.note, name="note"),
    # Follow-ups of B-category proposals the following year
    path("follow-ups/", followups.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/", followups.follow_up_detail, name="follow_up"),
    path("follow-ups/<int:pk>/report/", followups.follow_up_report, name="follow_up_report"),
    path("follow-ups/<int:pk>/close/", followups.follow_up_close, name="follow_up_close"),
    # Search, statistics and documents
    path("search/", search.search, name="search"),
    path("similar/", search.similar, name="similar"),
    path("statistics/", stats.statistics, name="statistics"),
    path("statistics/export/", stats.export, name="statistics_export"),
    path("<int:pk>/proposal.docx", exports.proposal_word, name="export_docx"),
    path("<int:pk>/proposal.pdf", exports.proposal_print, name="export_pdf"),
    path("replies/<int:pk>/letter.pdf", exports.reply_letter, name="reply_pdf"),
]
