// The optional peer dependencies of the plotting code (vega and vega-lite draw charts, resvg
// rasterises PNG and GIF), each imported on first use: where one is not installed, an error that
// names it and the npm command that installs it, instead of Node's resolution error.

/** The plotting code's optional peer packages. */
export type PlotPeer = "vega" | "vega-lite" | "@resvg/resvg-js";

interface PeerModules {
  vega: typeof import("vega");
  "vega-lite": typeof import("vega-lite");
  "@resvg/resvg-js": typeof import("@resvg/resvg-js");
}

/** The packages that draw charts (SVG), installed together. */
export const CHART_PEERS: readonly PlotPeer[] = ["vega", "vega-lite"];
/** The package that rasterises SVG to PNG and GIF frames. */
export const RASTER_PEERS: readonly PlotPeer[] = ["@resvg/resvg-js"];

const loaders: { [K in PlotPeer]: () => Promise<PeerModules[K]> } = {
  vega: () => import("vega"),
  "vega-lite": () => import("vega-lite"),
  "@resvg/resvg-js": () => import("@resvg/resvg-js"),
};

/**
 * An optional peer dependency of the plotting code (vega, vega-lite, @resvg/resvg-js) that is not
 * installed or could not be loaded. The message names the package and the npm command that
 * installs it; `install` is that command.
 */
export class MissingPeerError extends Error {
  /** the package that could not be imported */
  readonly package: PlotPeer;
  /** the npm command that installs it, with the packages it is used with */
  readonly install: string;
  constructor(pkg: PlotPeer, install: string, message: string) {
    super(message);
    this.name = "MissingPeerError";
    this.package = pkg;
    this.install = install;
  }
}

/** The command that installs `name` with the packages it works with. */
function installCommand(name: PlotPeer): string {
  return `npm install ${(CHART_PEERS.includes(name) ? CHART_PEERS : [name]).join(" ")}`;
}

/** True when `e` is the module loader's "not found" for the package `name` itself (not for something it imports). */
function isNotFound(e: unknown, name: string): boolean {
  const err = e as { code?: unknown; message?: unknown };
  const code = err?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = String(err.message ?? "");
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

/**
 * Imports an optional peer. `needs` says what needs it ("charts", "the figures of mft reproduce"), for
 * the MissingPeerError thrown where the package is not installed or fails to load.
 */
export async function loadPeer<K extends PlotPeer>(name: K, needs: string): Promise<PeerModules[K]> {
  try {
    return await loaders[name]();
  } catch (e) {
    const install = installCommand(name);
    if (isNotFound(e, name)) {
      throw new MissingPeerError(name, install, `${needs} need ${name}, an optional peer dependency of meanfield-transformer that is not installed: ${install}`);
    }
    const reason = String((e as Error)?.message ?? e).split("\n")[0];
    throw new MissingPeerError(name, install, `${needs} need ${name}, which could not be loaded (${reason}); reinstall it: ${install}`);
  }
}

/** Imports every package in `peers` (a command checks them before its work; see loadPeer). */
export async function requirePeers(peers: readonly PlotPeer[], needs: string): Promise<void> {
  for (const p of peers) await loadPeer(p, needs);
}
