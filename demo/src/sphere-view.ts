// The sphere: particles coloured by label, drag to rotate, and picking points on the surface.
import * as THREE from "three";

export interface SphereViewEvents {
  /** a click on the sphere in draw mode (a model-frame unit vector) */
  onPoint(p: number[]): void;
  /** a finished stroke on the sphere in draw mode (model-frame unit vectors, in order) */
  onStroke(points: number[][]): void;
}

/** Below this many pixels of movement a press is a click, not a drag. */
const CLICK_PIXELS = 4;
/** Radians of rotation per pixel dragged. */
const TURN_PER_PIXEL = 0.008;
const UNIT_SPHERE = new THREE.Sphere(new THREE.Vector3(), 1);
/** Diameter (world units; the view spans 2.5) of the marker of a cluster holding every particle; area scales with mass. */
const MARKER_FULL = 0.3;
/** Least marker diameter: twice a particle's dot, so that a small cluster still shows as one. */
const MARKER_MIN = 0.06;
/** Opacity of a marker on the far side of the sphere. */
const FAR_OPACITY = 0.35;

/** What the page shows of one collapsed cluster. */
export interface ClusterMarker {
  /** unit centre, model frame */
  centre: number[];
  /** particles in the cluster */
  mass: number;
  /** drawn diameter in CSS pixels */
  diameterPx: number;
  /** on the side facing the viewer */
  front: boolean;
}

export class SphereView {
  readonly canvas: HTMLCanvasElement;
  drawMode = false;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.OrthographicCamera(-1.25, 1.25, 1.25, -1.25, 0.1, 10);
  private readonly world = new THREE.Group();
  private readonly ball: THREE.Mesh;
  private readonly particles = new THREE.Points(new THREE.BufferGeometry(), new THREE.PointsMaterial({ size: 6, sizeAttenuation: false, vertexColors: true, map: spriteTexture(false), alphaTest: 0.5 }));
  private readonly markers = new THREE.Points(new THREE.BufferGeometry(), new THREE.PointsMaterial({ size: 18, sizeAttenuation: false, color: 0xffffff, map: spriteTexture(true), alphaTest: 0.5 }));
  private readonly stroke = new THREE.Line(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: 0xffffff }));
  private readonly raycaster = new THREE.Raycaster();
  private readonly clusterGroup = new THREE.Group();
  private readonly clusterNear = new THREE.SpriteMaterial({ map: markerTexture(), color: 0xfbbf24, depthTest: false, transparent: true });
  private readonly clusterFar = new THREE.SpriteMaterial({ map: this.clusterNear.map, color: 0xfbbf24, depthTest: false, transparent: true, opacity: FAR_OPACITY });
  private clusterMasses: number[] = [];
  private pending = false;

  constructor(canvas: HTMLCanvasElement, private readonly events: SphereViewEvents) {
    this.canvas = canvas;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.setClearColor(0x10131a);
    this.camera.position.set(0, 0, 3);
    this.camera.lookAt(0, 0, 0);
    // a translucent ball drawn after the particles dims those on the far side
    this.ball = new THREE.Mesh(
      new THREE.SphereGeometry(0.995, 64, 32),
      new THREE.MeshBasicMaterial({ color: 0x2a3140, transparent: true, opacity: 0.55 }),
    );
    this.world.add(this.ball, this.graticule(), this.particles, this.markers, this.stroke, this.clusterGroup);
    this.scene.add(this.world);
    // tilt so that the pole e_3 points up and a little towards the viewer
    this.world.rotation.set(-Math.PI / 2 + 0.35, 0, 0.4);
    this.listen();
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  /** Latitude and longitude circles every 30 degrees. */
  private graticule(): THREE.LineSegments {
    const pts: number[] = [];
    const seg = 96;
    const push = (f: (t: number) => number[]) => {
      for (let k = 0; k < seg; k++) pts.push(...f((2 * Math.PI * k) / seg), ...f((2 * Math.PI * (k + 1)) / seg));
    };
    for (let lat = -60; lat <= 60; lat += 30) {
      const z = Math.sin((lat * Math.PI) / 180), r = Math.cos((lat * Math.PI) / 180);
      push((t) => [r * Math.cos(t), r * Math.sin(t), z]);
    }
    for (let lon = 0; lon < 180; lon += 30) {
      const c = Math.cos((lon * Math.PI) / 180), s = Math.sin((lon * Math.PI) / 180);
      push((t) => [Math.cos(t) * c, Math.cos(t) * s, Math.sin(t)]);
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute("position", new THREE.Float32BufferAttribute(pts, 3));
    return new THREE.LineSegments(g, new THREE.LineBasicMaterial({ color: 0x4a5568, transparent: true, opacity: 0.5 }));
  }

  /** Sets the particle colours: hue by label, white for frozen anchors. */
  setLabels(labels: Int32Array, labelCount: number, frozen: Uint8Array | null): void {
    const colors = new Float32Array(labels.length * 3);
    const c = new THREE.Color();
    labels.forEach((a, i) => {
      if (frozen?.[i]) c.setRGB(1, 1, 1);
      else c.setHSL((0.85 * a) / Math.max(1, labelCount), 0.8, 0.6);
      colors.set([c.r, c.g, c.b], i * 3);
    });
    const g = new THREE.BufferGeometry();
    g.setAttribute("position", new THREE.BufferAttribute(new Float32Array(labels.length * 3), 3));
    g.setAttribute("color", new THREE.BufferAttribute(colors, 3));
    this.particles.geometry.dispose();
    this.particles.geometry = g;
    this.redraw();
  }

  /** Moves the particles to x (particle-major n*3, model frame). */
  setPositions(x: Float64Array): void {
    const attr = this.particles.geometry.getAttribute("position") as THREE.BufferAttribute | undefined;
    if (!attr || attr.count * 3 !== x.length) return;
    (attr.array as Float32Array).set(x);
    attr.needsUpdate = true;
    this.particles.geometry.computeBoundingSphere();
    this.redraw();
  }

  /**
   * Shows each collapsed cluster (unit centres, k*3) as a disc whose area is proportional to its
   * share of the n particles: the dots of a collapsed cluster draw as one, its marker shows its mass.
   */
  setClusters(centres: Float64Array, masses: ArrayLike<number>, n: number): void {
    const sprites = this.clusterGroup.children as THREE.Sprite[];
    while (sprites.length < masses.length) this.clusterGroup.add(Object.assign(new THREE.Sprite(this.clusterNear), { renderOrder: 10 }));
    this.clusterMasses = Array.from(masses);
    sprites.forEach((s, k) => {
      s.visible = k < masses.length;
      if (!s.visible) return;
      s.position.set(centres[3 * k], centres[3 * k + 1], centres[3 * k + 2]);
      const size = Math.max(MARKER_MIN, MARKER_FULL * Math.sqrt(masses[k] / n));
      s.scale.set(size, size, 1);
    });
    this.redraw();
  }

  /** The cluster markers as drawn (for tests and scripting). */
  clusterMarkers(): ClusterMarker[] {
    this.world.updateMatrixWorld();
    const pxPerUnit = this.canvas.clientHeight / (this.camera.top - this.camera.bottom);
    return this.clusterMasses.map((mass, k) => {
      const s = this.clusterGroup.children[k] as THREE.Sprite;
      return { centre: s.position.toArray(), mass, diameterPx: s.scale.x * pxPerUnit, front: s.getWorldPosition(new THREE.Vector3()).z > 0 };
    });
  }

  /** Shows target markers (and, while drawing, the stroke so far). */
  setMarkers(points: number[][], stroke: number[][] = []): void {
    this.markers.geometry.dispose();
    this.markers.geometry = new THREE.BufferGeometry().setAttribute("position", new THREE.Float32BufferAttribute(points.flat(), 3));
    this.stroke.geometry.dispose();
    this.stroke.geometry = new THREE.BufferGeometry().setAttribute("position", new THREE.Float32BufferAttribute(stroke.flat(), 3));
    this.redraw();
  }

  /** Client (CSS pixel) coordinates of a model-frame point, and whether it faces the viewer. */
  screenPoint(p: readonly number[]): { x: number; y: number; front: boolean } {
    this.world.updateMatrixWorld();
    const w = new THREE.Vector3(p[0], p[1], p[2]).applyMatrix4(this.world.matrixWorld);
    const front = w.z > 0;
    w.project(this.camera);
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + ((w.x + 1) / 2) * r.width, y: r.top + ((1 - w.y) / 2) * r.height, front };
  }

  /** The model-frame point of the sphere under a client position, or null off the sphere. */
  private pick(clientX: number, clientY: number): number[] | null {
    const r = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    // the exact unit sphere, not the tessellated ball
    const hit = this.raycaster.ray.intersectSphere(UNIT_SPHERE, new THREE.Vector3());
    if (!hit) return null;
    const local = this.world.worldToLocal(hit).normalize();
    return [local.x, local.y, local.z];
  }

  private listen(): void {
    let down: { x: number; y: number; lastX: number; lastY: number; moved: boolean; stroke: number[][] } | null = null;
    this.canvas.addEventListener("pointerdown", (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      down = { x: e.clientX, y: e.clientY, lastX: e.clientX, lastY: e.clientY, moved: false, stroke: [] };
      if (this.drawMode) {
        const p = this.pick(e.clientX, e.clientY);
        if (p) down.stroke.push(p);
      }
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!down) return;
      if (Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_PIXELS) down.moved = true;
      if (this.drawMode) {
        const p = this.pick(e.clientX, e.clientY);
        if (p && down.moved) {
          down.stroke.push(p);
          this.setMarkers([], down.stroke);
        }
      } else {
        const dx = e.clientX - down.lastX, dy = e.clientY - down.lastY;
        const angle = Math.hypot(dx, dy) * TURN_PER_PIXEL;
        if (angle > 0) {
          const q = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(dy, dx, 0).normalize(), angle);
          this.world.quaternion.premultiply(q);
          this.redraw();
        }
      }
      down.lastX = e.clientX;
      down.lastY = e.clientY;
    });
    const finish = (e: PointerEvent) => {
      if (!down) return;
      const d = down;
      down = null;
      if (!this.drawMode) return;
      if (!d.moved) {
        const p = this.pick(e.clientX, e.clientY);
        if (p) this.events.onPoint(p);
      } else if (d.stroke.length >= 2) {
        this.events.onStroke(d.stroke);
      }
    };
    this.canvas.addEventListener("pointerup", finish);
    this.canvas.addEventListener("pointercancel", () => { down = null; });
  }

  private resize(): void {
    const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    if (w === 0 || h === 0) return;
    this.renderer.setSize(w, h, false);
    const a = w / h, s = 1.25;
    Object.assign(this.camera, a >= 1 ? { left: -s * a, right: s * a, top: s, bottom: -s } : { left: -s, right: s, top: s / a, bottom: -s / a });
    this.camera.updateProjectionMatrix();
    this.redraw();
  }

  /** Renders at the next animation frame (at most once per frame). */
  redraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      // markers draw over the ball (no depth test): those behind it are faded instead
      this.world.updateMatrixWorld();
      const w = new THREE.Vector3();
      for (const s of this.clusterGroup.children as THREE.Sprite[]) s.material = s.getWorldPosition(w).z > 0 ? this.clusterNear : this.clusterFar;
      this.renderer.render(this.scene, this.camera);
    });
  }
}

/** A cluster marker: a translucent disc with a solid rim (its particles stay visible through it). */
function markerTexture(): THREE.CanvasTexture {
  const c = document.createElement("canvas");
  c.width = c.height = 64;
  const g = c.getContext("2d")!;
  g.beginPath();
  g.arc(32, 32, 28, 0, 2 * Math.PI);
  g.fillStyle = "rgba(255, 255, 255, 0.35)";
  g.fill();
  g.lineWidth = 6;
  g.strokeStyle = "#fff";
  g.stroke();
  return new THREE.CanvasTexture(c);
}

/** A round sprite for points: a filled disc, or a ring (target markers leave their cluster visible). */
function spriteTexture(ring: boolean): THREE.CanvasTexture {
  const c = document.createElement("canvas");
  c.width = c.height = 64;
  const g = c.getContext("2d")!;
  g.beginPath();
  g.arc(32, 32, ring ? 26 : 30, 0, 2 * Math.PI);
  if (ring) {
    g.lineWidth = 8;
    g.strokeStyle = "#fff";
    g.stroke();
  } else {
    g.fillStyle = "#fff";
    g.fill();
  }
  return new THREE.CanvasTexture(c);
}
