"""Survey pages under /c/<council_slug>/surveys/."""

from django.urls import path

from xieshang.surveys.views import public, respond, results, staff

app_name = "surveys"
urlpatterns = [
    # Members and handling units
    path("", respond.mine, name="mine"),
    path("<int:pk>/answer/", respond.answer, name="answer"),
    # The public (no login)
    path("p/<int:pk>/", public.public, name="public"),
    path("p/<int:pk>/code/", public.public_code, name="public_code"),
    path("p/<int:pk>/verify/", public.public_verify, name="public_verify"),
    path("p/<int:pk>/submit/", public.public_submit, name="public_submit"),
    # Staff and leaders
    path("all/", staff.survey_list, name="list"),
    path("new/", staff.create, name="create"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/copy/", staff.copy, name="copy"),
    path("<int:pk>/preview/", staff.preview, name="preview"),
    path("<int:pk>/questions/new/", staff.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_id>/", staff.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_id>/skips/", staff.question_skips, name="question_skips"),
    path("<int:pk>/questions/<int:question_id>/remove/", staff.question_remove, name="question_remove"),
    path("<int:pk>/open/", staff.open_survey, name="open"),
    path("<int:pk>/close/", staff.close_survey, name="close"),
    path("<int:pk>/remind/", staff.remind, name="remind"),
    path("<int:pk>/results/", results.results_page, name="results"),
    path("<int:pk>/answers.xlsx", results.answers_xlsx, name="answers_xlsx"),
    path("<int:pk>/summary.pdf", results.summary_pdf, name="summary_pdf"),
    path("<int:pk>/words/", results.words, name="words"),
]
