"""Plots and reports of simulations and clinics."""

from itbtwin.report._pk_plot import plot_concentrations as plot_concentrations
