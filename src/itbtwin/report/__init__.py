"""Plots and reports of simulations and clinics: figures, a document model, HTML and PDF writers."""

from itbtwin.report._calendar import refill_calendar as refill_calendar
from itbtwin.report._clinic_report import clinic_report as clinic_report
from itbtwin.report._document import Document as Document
from itbtwin.report._document import FigureBlock as FigureBlock
from itbtwin.report._document import Paragraph as Paragraph
from itbtwin.report._document import ReasonList as ReasonList
from itbtwin.report._document import Section as Section
from itbtwin.report._document import Table as Table
from itbtwin.report._html import render_html as render_html
from itbtwin.report._html import write_html as write_html
from itbtwin.report._pdf import html_to_pdf as html_to_pdf
from itbtwin.report._pdf import pdf_page_count as pdf_page_count
from itbtwin.report._pdf import write_pdf as write_pdf
from itbtwin.report._pk_plot import plot_concentrations as plot_concentrations
from itbtwin.report._scenario_report import patient_report as patient_report
from itbtwin.report._scenario_report import scenario_report as scenario_report
from itbtwin.report._scenario_report import scenario_timeline as scenario_timeline
from itbtwin.report._timeline import Timeline as Timeline
from itbtwin.report._twin_figures import concentration_figure as concentration_figure
from itbtwin.report._twin_figures import dose_figure as dose_figure
from itbtwin.report._twin_figures import reservoir_figure as reservoir_figure
from itbtwin.report._twin_figures import response_figure as response_figure
from itbtwin.report._twin_figures import twin_overview as twin_overview
from itbtwin.report._twin_plot import plot_twin as plot_twin
