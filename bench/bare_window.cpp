// bare_window — the baseline of the shell benchmark (bench/shell_bench.py, issue 2 item 9).
//
// The smallest honest SDL2 + OpenGL 3.3 core + Dear ImGui program: one window, one small ImGui
// window with a line of text, vsync on, and the standard ImGui loop (poll events, render every
// frame). It takes the kiosk's benchmark flags so the two run side by side:
//   --windowed WxH              window size (default 1280x720)
//   --exit-after-first-frame    render + present the first frame, glFinish, print
//                               first_frame_ms=X (from entering main()) and
//                               first_frame_clock_ms=T (CLOCK_MONOTONIC when it was presented)
//                               and first_frame_vertices=N (what ImGui drew), exit 0
//   --blank-first-frame         leave the window's size to ImGui, as this program did until
//                               2026-12-05: ImGui then hides the new window for its first frame
//                               (it measures it), so the first frame presented is only cleared
//                               and Mesa compiles no drawing code for it (start_bench.py)
//   --bench-frames N            after the first frame, render N more and print
//                               frame_cpu_median_us=X (thread CPU per frame, NewFrame..swap) and
//                               frame_ui_cpu_median_us=X (NewFrame..ImGui::Render only)
#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

double clock_us(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double g_start_us = 0;         // CLOCK_MONOTONIC at main() entry
bool g_blank_first_frame = false;  // --blank-first-frame

struct Frame {
  double cpu_us = 0;     // whole frame: NewFrame .. SwapWindow
  double ui_cpu_us = 0;  // ImGui's part: NewFrame .. ImGui::Render
};

Frame render_frame(SDL_Window* window) {
  Frame f;
  const double c0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(40, 40), ImGuiCond_FirstUseEver);
  // A size of its own, so the window is drawn in the first frame: an auto-sized new window is
  // hidden for one frame while ImGui measures it.
  if (!g_blank_first_frame) ImGui::SetNextWindowSize(ImVec2(460, 80), ImGuiCond_FirstUseEver);
  ImGui::Begin("Bare window");
  ImGui::TextUnformatted("Hello from a bare SDL2 + OpenGL3 + Dear ImGui window.");
  ImGui::End();
  ImGui::Render();
  f.ui_cpu_us = clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(0.45f, 0.55f, 0.60f, 1.00f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(window);
  f.cpu_us = clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  g_start_us = clock_us(CLOCK_MONOTONIC);

  int width = 1280, height = 720, bench_frames = 0;
  bool exit_after_first_frame = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--windowed" && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 1 || height < 1) {
        std::fprintf(stderr, "bare_window: --windowed expects WxH, got '%s'\n", argv[i]);
        return 2;
      }
    } else if (a == "--exit-after-first-frame") {
      exit_after_first_frame = true;
    } else if (a == "--blank-first-frame") {
      g_blank_first_frame = true;
    } else if (a == "--bench-frames" && i + 1 < argc) {
      bench_frames = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: bare_window [--windowed WxH] [--exit-after-first-frame] "
                   "[--blank-first-frame] [--bench-frames N]\n");
      return 2;
    }
  }

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    std::fprintf(stderr, "bare_window: SDL_Init: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);
  SDL_Window* window =
      SDL_CreateWindow("bare_window", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                       SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window) {
    std::fprintf(stderr, "bare_window: SDL_CreateWindow: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    std::fprintf(stderr, "bare_window: SDL_GL_CreateContext: %s\n", SDL_GetError());
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(1);  // vsync on

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int rc = 0;
  if (exit_after_first_frame || bench_frames > 0) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
    render_frame(window);
    glFinish();
    const double presented_us = clock_us(CLOCK_MONOTONIC);
    std::printf("first_frame_ms=%.2f\nfirst_frame_clock_ms=%.3f\nfirst_frame_vertices=%d\n",
                (presented_us - g_start_us) / 1e3, presented_us / 1e3, ImGui::GetDrawData()->TotalVtxCount);
    if (bench_frames > 0) {
      std::vector<double> cpu, ui_cpu;
      cpu.reserve(static_cast<size_t>(bench_frames));
      ui_cpu.reserve(static_cast<size_t>(bench_frames));
      for (int i = 0; i < bench_frames; ++i) {
        while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
        const Frame f = render_frame(window);
        cpu.push_back(f.cpu_us);
        ui_cpu.push_back(f.ui_cpu_us);
      }
      std::printf("frame_cpu_median_us=%.1f\nframe_ui_cpu_median_us=%.1f\n", median(cpu),
                  median(ui_cpu));
    }
    std::fflush(stdout);
  } else {
    // The standard ImGui loop: poll every event, then render a frame, every time round.
    bool done = false;
    while (!done) {
      SDL_Event e;
      while (SDL_PollEvent(&e)) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (e.type == SDL_QUIT) done = true;
        if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE &&
            e.window.windowID == SDL_GetWindowID(window))
          done = true;
      }
      render_frame(window);
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return rc;
}
