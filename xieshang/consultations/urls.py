"""Consultation pages under /c/<council_slug>/consultations/."""

from django.urls import path

from xieshang.consultations.views import consultations, joint, legislative, outcomes, plans, speeches, themes
from xieshang.consultations.views import deliberation as deliberations

app_name = "consultations"
urlpatterns = [
    # Consultations
    path("", consultations.consultation_list, name="list"),
    path("mine/", consultations.mine, name="mine"),
    path("new/", consultations.create, name="create"),
    path("<int:pk>/", consultations.detail, name="detail"),
    path("<int:pk>/edit/", consultations.edit, name="edit"),
    path("<int:pk>/participants/new/", consultations.participant_add, name="participant_add"),
    path(
        "<int:pk>/participants/<int:participant_id>/remove/",
        consultations.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/materials/new/", consultations.materials_add, name="materials_add"),
    path("<int:pk>/materials/send/", consultations.materials_send, name="materials_send"),
    path("<int:pk>/files/<int:attachment_id>/", consultations.material, name="material"),
    path("<int:pk>/notice/", consultations.notice, name="notice"),
    path("<int:pk>/activities/new/", consultations.activity_add, name="activity_add"),
    path("<int:pk>/held/", consultations.held, name="held"),
    path("<int:pk>/minutes/", consultations.minutes, name="minutes"),
    path("<int:pk>/close/", consultations.close, name="close"),
    path("<int:pk>/cancel/", consultations.cancel, name="cancel"),
    # Speakers
    path("<int:pk>/speeches/new/", speeches.speech_add, name="speech_add"),
    path("<int:pk>/speeches/book/", speeches.speech_book, name="speech_book"),
    path("<int:pk>/speeches/<int:speech_id>/move/<str:direction>/", speeches.speech_move, name="speech_move"),
    path("<int:pk>/speeches/<int:speech_id>/remove/", speeches.speech_remove, name="speech_remove"),
    path("<int:pk>/speeches/<int:speech_id>/duration/", speeches.speech_duration, name="speech_duration"),
    path("<int:pk>/countdown/", speeches.countdown, name="countdown"),
    # Outcomes
    path("<int:pk>/outcomes/new/", outcomes.outcome_create, name="outcome_create"),
    path("outcomes/", outcomes.outcome_list, name="outcomes"),
    path("outcomes/<int:pk>/", outcomes.outcome, name="outcome"),
    path("outcomes/<int:pk>/edit/", outcomes.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/send/", outcomes.outcome_send, name="outcome_send"),
    path("outcomes/<int:pk>/follow-up/", outcomes.outcome_follow_up, name="outcome_follow_up"),
    path("outcomes/<int:pk>/files/<int:attachment_id>/", outcomes.outcome_file, name="outcome_file"),
    path("office/", outcomes.office_inbox, name="office_inbox"),
    path("office/<int:pk>/", outcomes.office_outcome, name="office_outcome"),
    path("report/<int:year>/", outcomes.year_end, name="year_report"),
    path("report/<int:year>/export.<str:fmt>", outcomes.year_end_export, name="year_report_export"),
    # Plans
    path("plans/", plans.plans, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan, name="plan"),
    path("plans/<int:pk>/items/new/", plans.item_create, name="item_create"),
    path("plans/<int:pk>/items/<int:item_id>/edit/", plans.item_edit, name="item_edit"),
    path("plans/<int:pk>/items/<int:item_id>/remove/", plans.item_remove, name="item_remove"),
    path("plans/<int:pk>/revision/", plans.plan_revision, name="plan_revision"),
    path("plans/<int:pk>/draft/", plans.plan_draft, name="plan_draft"),
    path("plans/<int:pk>/reopen/", plans.plan_reopen, name="plan_reopen"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/suggest/", plans.plan_suggest, name="plan_suggest"),
    path(
        "plans/<int:pk>/suggestions/<int:suggestion_id>/<str:verdict>/",
        plans.suggestion_decide,
        name="suggestion_decide",
    ),
    path("plans/<int:pk>/export.<str:fmt>", plans.plan_export, name="plan_export"),
    path("flags/", plans.flags, name="flags"),
    # Online deliberation
    path("<int:pk>/deliberations/new/", deliberations.deliberation_create, name="deliberation_create"),
    path("deliberations/<int:pk>/", deliberations.deliberation, name="deliberation"),
    path("deliberations/<int:pk>/post/", deliberations.comment_post, name="comment_post"),
    path(
        "deliberations/<int:pk>/comments/<int:comment_id>/support/",
        deliberations.comment_support,
        name="comment_support",
    ),
    path(
        "deliberations/<int:pk>/comments/<int:comment_id>/hide/",
        deliberations.comment_hide,
        name="comment_hide",
    ),
    path(
        "deliberations/<int:pk>/comments/<int:comment_id>/unhide/",
        deliberations.comment_unhide,
        name="comment_unhide",
    ),
    path("deliberations/<int:pk>/summary/", deliberations.summary, name="deliberation_summary"),
    path(
        "deliberations/<int:pk>/summary/record/",
        deliberations.summary_record,
        name="deliberation_summary_record",
    ),
    path("deliberations/<int:pk>/public/", deliberations.public, name="deliberation_public"),
    path("deliberations/<int:pk>/public/code/", deliberations.public_code, name="deliberation_public_code"),
    path(
        "deliberations/<int:pk>/public/verify/",
        deliberations.public_verify,
        name="deliberation_public_verify",
    ),
    path("deliberations/<int:pk>/public/post/", deliberations.public_post, name="deliberation_public_post"),
    path(
        "deliberations/<int:pk>/public/comments/<int:comment_id>/support/",
        deliberations.public_support,
        name="deliberation_public_support",
    ),
    path(
        "deliberations/<int:pk>/public/leave/", deliberations.public_leave, name="deliberation_public_leave"
    ),
    path("themes/", themes.themes, name="themes"),
    path("<int:pk>/joint/invite/", joint.joint_invite, name="joint_invite"),
    path("joint/", joint.joint_list, name="joint_list"),
    path("joint/<int:pk>/", joint.joint_detail, name="joint_detail"),
    path("joint/<int:pk>/files/<int:attachment_id>/", joint.joint_material, name="joint_material"),
    path("joint/<int:pk>/accept/", joint.joint_accept, name="joint_accept"),
    # Legislative consultation
    path("<int:pk>/drafts/new/", legislative.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", legislative.draft, name="draft"),
    path("drafts/<int:pk>/articles/<int:number>/comment/", legislative.draft_comment, name="draft_comment"),
    path("drafts/<int:pk>/export.<str:fmt>", legislative.draft_export, name="draft_export"),
    path("drafts/<int:pk>/experts/new/", legislative.expert_invite, name="expert_invite"),
    path("drafts/expert/<str:token>/", legislative.expert_page, name="draft_expert"),
]
