"""Plots and reports of simulations and clinics."""

from itbtwin.report._pk_plot import plot_concentrations as plot_concentrations
from itbtwin.report._twin_plot import plot_twin as plot_twin
