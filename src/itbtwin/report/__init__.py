"""Plots and reports of simulations and clinics: figures, a document model, HTML and PDF writers."""

from itbtwin._lazy_exports import lazy_exports

# Each private module and the public names it defines, imported when first read (issue 13).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "_calendar": ("refill_calendar",),
        "_clinic_report": ("clinic_report",),
        "_document": (
            "Document",
            "FigureBlock",
            "Paragraph",
            "ReasonList",
            "Section",
            "Table",
        ),
        "_html": (
            "render_html",
            "write_html",
        ),
        "_pdf": (
            "html_to_pdf",
            "pdf_page_count",
            "write_pdf",
        ),
        "_pk_plot": ("plot_concentrations",),
        "_records_report": ("records_report",),
        "_scenario_report": (
            "patient_report",
            "scenario_report",
            "scenario_timeline",
        ),
        "_timeline": ("Timeline",),
        "_twin_figures": (
            "concentration_figure",
            "dose_figure",
            "reservoir_figure",
            "response_figure",
            "twin_overview",
        ),
        "_twin_plot": ("plot_twin",),
    },
)
