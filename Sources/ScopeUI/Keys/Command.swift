// A user command, independent of the key that triggers it.
import Terminal

/// Everything a key can ask the live view to do.
public enum Command: Equatable, Hashable, Sendable {
    /// Focus the named initializer, adding it to the comparison when absent.
    case focusInitializer(String)
    case focusNext, focusPrevious
    case layerNext, layerPrevious, layerFirst, layerLast
    case activationNext, activationPrevious
    case depthUp, depthDown, widthUp, widthDown, batchUp, batchDown
    case newSeed, toggleHistogramScale, togglePause, step, rerun, nextTheme, toggleHelp, quit
    /// Reveal the whole picture now (the sweep skips to its end).
    case skipAnimation
    /// Remove the focused row (the last row stays).
    case removeRow
    /// Show the default comparison set again (xavier, he, lsuv).
    case resetRows
    /// Switch between one scale per row and one shared scale.
    case toggleScale
    /// Repaint the whole terminal (Ctrl-L), keeping everything else as it is.
    case redraw
    /// Switch to the next architecture (mlp, resnet, ...), with the rows that matter for it.
    case architectureNext
    /// Switch to the next normalization the architecture offers (resnet: none, pre-LN, post-LN, BatchNorm).
    case normalizationNext
    /// Show the next / previous measurement site of the selected block in the panels (residual networks).
    case siteNext, sitePrevious
    /// Train every row from the current scenario, or stop the training in progress.
    case toggleTraining
    /// Pause or resume the training in progress.
    case pauseTraining
    /// Stop the training or sweep in progress (Esc).
    case stopTraining
    /// Show the learning-rate sweep (running it when not run yet for this scenario), or hide it.
    case toggleSweep
    /// Open the lecture's next / previous scene (lecture mode only).
    case sceneNext, scenePrevious
    /// Write the screen as it is to files (txt, ansi, svg) for slides.
    case saveScreen
    /// Show the next lower panel: histograms, Jacobian spectrum, phase map.
    case cycleLowerPanel
}
